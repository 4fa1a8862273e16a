using HgCounter.Inference.Detectors;
using HgCounter.Testing;

namespace HgCounter.Inference.Tests.Detectors;

// The tests reference the CPU-only Microsoft.ML.OnnxRuntime package: every provider but the CPU is absent here.
public sealed class OnnxExecutionProvidersTests
{
    [Theory]
    [InlineData("cpu", OnnxExecutionProvider.Cpu)]
    [InlineData("CUDA", OnnxExecutionProvider.Cuda)]
    [InlineData(" tensorrt ", OnnxExecutionProvider.TensorRT)]
    [InlineData("OpenVINO", OnnxExecutionProvider.OpenVino)]
    [InlineData("directml", OnnxExecutionProvider.DirectML)]
    [InlineData("coreml", OnnxExecutionProvider.CoreML)]
    [InlineData("rocm", OnnxExecutionProvider.Rocm)]
    public void TryParse_ConfigurationName_IsCaseInsensitive(string name, OnnxExecutionProvider expected)
    {
        OnnxExecutionProviders.TryParse(name, out var provider).Should().BeTrue();
        provider.Should().Be(expected);
        OnnxExecutionProviders.GetName(provider).Should().Be(name.Trim().ToLowerInvariant());
    }

    [Theory]
    [InlineData("vulkan")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_ReturnsFalse(string? name) =>
        OnnxExecutionProviders.TryParse(name, out _).Should().BeFalse();

    [Fact]
    public void GetAvailable_CpuPackage_HasTheCpuProvider() =>
        OnnxExecutionProviders.GetAvailable().Should().Contain("CPUExecutionProvider");

    [Fact]
    public void TryCheck_Cpu_IsUsable()
    {
        OnnxExecutionProviders.TryCheck(OnnxExecutionProvider.Cpu, 0, out var problem).Should().BeTrue();
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData(OnnxExecutionProvider.Cuda, "CUDAExecutionProvider", "Microsoft.ML.OnnxRuntime.Gpu")]
    [InlineData(OnnxExecutionProvider.TensorRT, "TensorrtExecutionProvider", "Microsoft.ML.OnnxRuntime.Gpu")]
    [InlineData(OnnxExecutionProvider.OpenVino, "OpenVINOExecutionProvider", "Intel.ML.OnnxRuntime.OpenVino")]
    [InlineData(OnnxExecutionProvider.DirectML, "DmlExecutionProvider", "Microsoft.ML.OnnxRuntime.DirectML")]
    public void TryCheck_ProviderAbsentFromCpuPackage_NamesProviderWhatThereIsAndThePackage(OnnxExecutionProvider provider, string native, string package)
    {
        OnnxExecutionProviders.TryCheck(provider, 0, out var problem).Should().BeFalse();

        problem.Should().Contain(native).And.Contain("CPUExecutionProvider").And.Contain(package);
    }

    [Fact]
    public void Load_CudaOnCpuRuntime_ThrowsTypedExceptionNamingProviderAndPackage()
    {
        var act = () => OnnxYoloModel.Load(SyntheticScene.V8ModelPath, provider: OnnxExecutionProvider.Cuda);

        var error = act.Should().Throw<ExecutionProviderUnavailableException>().Which;
        error.Provider.Should().Be(OnnxExecutionProvider.Cuda);
        error.AvailableProviders.Should().Contain("CPUExecutionProvider");
        error.Package.Should().Be("Microsoft.ML.OnnxRuntime.Gpu");
        error.Message.Should().Contain("'cuda'").And.Contain("CUDAExecutionProvider").And.Contain("Microsoft.ML.OnnxRuntime.Gpu");
    }

    [Fact]
    public void Create_FactoryConfiguredForCuda_ThrowsTypedException()
    {
        using var factory = new OnnxDetectorFactory(new() { ModelPath = SyntheticScene.V8ModelPath, ExecutionProvider = "cuda" });

        var act = () => factory.Create("cam");

        act.Should().Throw<ExecutionProviderUnavailableException>();
    }

    [Fact]
    public void Load_MissingFileWithCuda_ReportsTheFileFirst()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "absent.onnx");

        var act = () => OnnxYoloModel.Load(path, provider: OnnxExecutionProvider.Cuda);

        act.Should().Throw<ModelLoadException>();
    }
}
