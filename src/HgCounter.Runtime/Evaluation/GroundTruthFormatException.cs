namespace HgCounter.Runtime.Evaluation;

/// <summary>A line of a MOTChallenge <c>gt.txt</c> that cannot be read; names the file and the 1-based line number.</summary>
public sealed class GroundTruthFormatException : FormatException
{
    /// <summary>Creates the error.</summary>
    /// <param name="source">The file (or other source) the line came from.</param>
    /// <param name="lineNumber">1-based line number.</param>
    /// <param name="problem">What is wrong with the line.</param>
    public GroundTruthFormatException(string source, int lineNumber, string problem)
        : base($"{source}, line {lineNumber}: {problem}. Expected MOTChallenge rows: frame,id,left,top,width,height,conf,class,visibility (frame from 1).")
    {
        Source = source;
        LineNumber = lineNumber;
    }

    /// <summary>The file (or other source) the line came from.</summary>
    public new string Source { get; }

    /// <summary>1-based line number of the bad line.</summary>
    public int LineNumber { get; }
}
