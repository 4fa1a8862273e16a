#!/usr/bin/python3
"""Generate models/synthetic-yolov8.onnx: a tiny hand-built detector with the YOLOv8 output layout.

What it is
    No training, no learned weights: a fixed graph of ONNX operators that detects the objects drawn
    in HgCounter's synthetic test scenes. It is NOT a general detector.
      * class 0 "person": filled 32x64 (w x h) rectangle, BGR (60,180,255)
      * class 1 "car":    filled 64x32 (w x h) rectangle, BGR (255,160,60)
      * background flat dark grey BGR (40,40,40) (+/- small noise), letterbox pad 114/255.

Interface (same as an Ultralytics YOLOv8/YOLO11 `format=onnx` export)
    input  "images"  float32 [1,3,640,640], RGB, 0..1, letterboxed
    output "output0" float32 [1,6,6400]: rows cx,cy,w,h (input pixels), score_person, score_car
    metadata_props: names="{0: 'person', 1: 'car'}", stride="32", task="detect", imgsz="[640, 640]", ...

How it works
    1. Colour masks (Sub/Mul/Clip): person = R-B high, car = B-R high, both need G > ~0.3.
    2. Per class, at EVERY pixel (stride 1), box sums of the mask over the object-sized window
       centred there (inner) and over that window grown by RING px on each side (outer). The box sums
       use separable exclusive prefix sums (Pad + CumSum + Slice + Sub), O(1) per pixel.
    3. score = sigmoid(A * (inner_fill - T) - B * ring_fill): ~1 only where the window exactly fits
       one rectangle, lower when shifted, ~0 away from objects.
    4. MaxPool 8x8/stride 8 with Indices over max(person, car) picks the best pixel of each cell
       -> N = 80*80 = 6400 candidates; its (x, y) is the box centre, the class with the higher
       score decides the box size (32x64 or 64x32); both scores are gathered at that pixel.

Run (Debian: apt-get install python3-onnx python3-numpy; uses the system python, not pyenv):
    /usr/bin/python3 models/generate_synthetic_yolo.py            # writes models/synthetic-yolov8.onnx
    /usr/bin/python3 models/generate_synthetic_yolo.py OUT.onnx   # other output path
    /usr/bin/python3 models/generate_synthetic_yolo.py --layout v5            # models/synthetic-yolov5.onnx
    /usr/bin/python3 models/generate_synthetic_yolo.py --layout wrong-shape OUT.onnx
Layouts
    v8           output0 [1, 4+C, N]: cx, cy, w, h, class scores (YOLOv8 / YOLO11 export).
    v5           output0 [1, N, 5+C]: cx, cy, w, h, objectness, class probabilities (YOLOv5 export).
                 objectness = best class score, class probability = score / objectness, so
                 objectness * probability gives the same confidences as the v8 layout.
    wrong-shape  a tiny model whose output0 is [1, 3, 6400] (fits neither layout), for load-error tests.
Output is deterministic (no timestamps, no random numbers).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

IMG = 640            # model input size (square)
CELL = 8             # candidate grid stride -> (640/8)^2 = 6400 candidates
RING = 4             # ring width around the object window (scenes keep >= 8 px gaps between objects)
A = 40.0             # sigmoid steepness on the inner fill ratio
T = 0.85             # inner fill ratio at which the score crosses 0.5
B = 10.0             # penalty weight on the ring fill ratio
CLASSES = [("person", 32, 64), ("car", 64, 32)]  # (name, box width, box height) in input pixels

nodes = []
inits = []
_uid = [0]


def name(prefix):
    _uid[0] += 1
    return f"{prefix}_{_uid[0]}"


def const(value, dtype=np.float32, prefix="c"):
    n = name(prefix)
    inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), n))
    return n


def op(op_type, inputs, prefix=None, outputs=1, **attrs):
    outs = [name(prefix or op_type.lower()) for _ in range(outputs)]
    nodes.append(helper.make_node(op_type, inputs, outs, **attrs))
    return outs[0] if outputs == 1 else outs


def box_sum(x, axis, k):
    """Sum of x over a window of k (even) elements along axis (2=H, 3=W), centred so that output
    index i covers input indices [i - k/2, i + k/2 - 1]; zeros outside the image. Same size as x."""
    a = k // 2
    left, right = a + 1, k - a - 1
    pads = [0, 0, 0, 0, 0, 0, 0, 0]          # [x1_begin, x2_begin, x3_begin, x4_begin, ..._end]
    pads[axis], pads[4 + axis] = left, right
    padded = op("Pad", [x, const(pads, np.int64, "pads")], mode="constant")
    csum = op("CumSum", [padded, const(axis, np.int64, "axis")])
    # inclusive cumsum C over padded index p = i + left; sum over [i-a, i-a+k-1] = C[i+k-1] - C[i-1]
    ax = const([axis], np.int64, "ax")
    hi = op("Slice", [csum, const([k], np.int64, "s"), const([k + IMG], np.int64, "e"), ax])
    lo = op("Slice", [csum, const([0], np.int64, "s"), const([IMG], np.int64, "e"), ax])
    return op("Sub", [hi, lo], "boxsum")


def class_score(mask, w, h):
    inner = box_sum(box_sum(mask, 3, w), 2, h)
    outer = box_sum(box_sum(mask, 3, w + 2 * RING), 2, h + 2 * RING)
    ring_area = (w + 2 * RING) * (h + 2 * RING) - w * h
    ring = op("Sub", [outer, inner])
    # logit = A*inner/(w*h) - B*ring/ring_area - A*T
    t1 = op("Mul", [inner, const(A / (w * h))])
    t2 = op("Mul", [ring, const(B / ring_area)])
    logit = op("Add", [op("Sub", [t1, t2]), const(-A * T)])
    return op("Sigmoid", [logit], "score")


def build(layout="v8"):
    if layout == "wrong-shape":
        return build_wrong_shape()
    images = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, IMG, IMG])

    # --- colour masks (elementwise; cheaper than a 1x1 Conv here) ----------------------------
    # person RGB ~ (1.00, 0.71, 0.24), car ~ (0.24, 0.63, 1.00), background ~0.16, pad 0.45 grey
    r, g, b = op("Split", ["images", const([1, 1, 1], np.int64, "split")], "rgb", outputs=3, axis=1)
    d = op("Mul", [op("Sub", [r, b]), const(4.0)], "r_minus_b")                 # 4*(R-B)
    zero, one = const(0.0), const(1.0)
    gate = op("Clip", [op("Add", [op("Mul", [g, const(6.0)]), const(-1.8)]), zero, one], "g_gate")  # 6*(G-0.3)
    mask_p = op("Mul", [op("Clip", [op("Add", [d, const(-0.8)]), zero, one]), gate], "mask_person")  # 4*(R-B-0.2)
    mask_c = op("Mul", [op("Clip", [op("Sub", [const(-0.8), d]), zero, one]), gate], "mask_car")     # 4*(B-R-0.2)

    # --- dense per-pixel class scores ------------------------------------------------------
    (_, pw, ph), (_, cw, ch) = CLASSES
    sp = class_score(mask_p, pw, ph)   # [1,1,640,640]
    sc = class_score(mask_c, cw, ch)

    # --- one candidate per 8x8 cell: the pixel with the best score -------------------------
    best = op("Max", [sp, sc], "best")
    _, idx = op("MaxPool", [best], "cellmax", outputs=2, kernel_shape=[CELL, CELL], strides=[CELL, CELL])
    idx = op("Reshape", [idx, const([-1], np.int64, "shape")], "idx")          # [N] = y*640 + x
    flat = const([-1], np.int64, "shape")
    sp_n = op("Gather", [op("Reshape", [sp, flat]), idx], "sp_n", axis=0)     # [N]
    sc_n = op("Gather", [op("Reshape", [sc, flat]), idx], "sc_n", axis=0)
    xs = op("Cast", [op("Mod", [idx, const(IMG, np.int64)])], "cx", to=TensorProto.FLOAT)
    ys = op("Cast", [op("Div", [idx, const(IMG, np.int64)])], "cy", to=TensorProto.FLOAT)
    is_p = op("GreaterOrEqual", [sp_n, sc_n], "is_person")
    ws = op("Where", [is_p, const(float(pw)), const(float(cw))], "w")
    hs = op("Where", [is_p, const(float(ph)), const(float(ch))], "h")
    n = (IMG // CELL) ** 2
    if layout == "v5":
        obj = op("Max", [sp_n, sc_n], "objectness")
        denom = op("Add", [obj, const(1e-6)])
        cls = [op("Div", [t, denom], "cls_prob") for t in (sp_n, sc_n)]
        rows = [op("Unsqueeze", [t, const([0], np.int64, "ax")]) for t in (xs, ys, ws, hs, obj, *cls)]
        out = op("Transpose", [op("Concat", rows, "rows", axis=0)], "cols", perm=[1, 0])  # [N, 5+C]
        shape = [1, n, 5 + len(CLASSES)]
    else:
        rows = [op("Unsqueeze", [t, const([0], np.int64, "ax")]) for t in (xs, ys, ws, hs, sp_n, sc_n)]
        out = op("Concat", rows, "rows", axis=0)                              # [4+C, N]
        shape = [1, 4 + len(CLASSES), n]
    nodes.append(helper.make_node("Unsqueeze", [out, const([0], np.int64, "ax")], ["output0"]))

    output0 = helper.make_tensor_value_info("output0", TensorProto.FLOAT, shape)
    graph = helper.make_graph(nodes, f"synthetic_yolo{layout}", [images], [output0], inits)
    model = helper.make_model(graph, producer_name="HgCounter generate_synthetic_yolo.py",
                              producer_version="1", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    names = "{" + ", ".join(f"{i}: '{c[0]}'" for i, c in enumerate(CLASSES)) + "}"
    meta = {
        "description": "HgCounter synthetic-scene detector (YOLOv8 output layout, built from ONNX operators, not trained)",
        "author": "HgCounter",
        "license": "same as the HgCounter repository",
        "stride": "32",
        "task": "detect",
        "batch": "1",
        "imgsz": f"[{IMG}, {IMG}]",
        "names": names,
    }
    onnx.helper.set_model_props(model, meta)
    onnx.checker.check_model(model, full_check=True)
    return model


def build_wrong_shape():
    """A valid ONNX file with the right input but an output [1, 3, 6400] that is no YOLO layout."""
    images = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, IMG, IMG])
    pooled = op("MaxPool", ["images"], "pool", kernel_shape=[CELL, CELL], strides=[CELL, CELL])
    nodes.append(helper.make_node("Reshape", [pooled, const([1, 3, -1], np.int64, "shape")], ["output0"]))
    output0 = helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 3, (IMG // CELL) ** 2])
    graph = helper.make_graph(nodes, "wrong_shape", [images], [output0], inits)
    model = helper.make_model(graph, producer_name="HgCounter generate_synthetic_yolo.py",
                              producer_version="1", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.helper.set_model_props(model, {"names": "{0: 'person', 1: 'car'}"})
    onnx.checker.check_model(model, full_check=True)
    return model


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    layout = "v8"
    if "--layout" in args:
        i = args.index("--layout")
        layout = args[i + 1]
        del args[i:i + 2]
    if layout not in ("v8", "v5", "wrong-shape"):
        sys.exit(f"unknown layout {layout!r}; use v8, v5 or wrong-shape")
    default = {"v8": "synthetic-yolov8.onnx", "v5": "synthetic-yolov5.onnx", "wrong-shape": "wrong-shape.onnx"}[layout]
    path = args[0] if args else os.path.join(here, default)
    m = build(layout)
    onnx.save(m, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(m.graph.node)} nodes)")
