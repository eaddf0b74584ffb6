#!/usr/bin/python3
"""Writes fixture-boxes.onnx: a tiny hand-built model in the 'boxes' output format, used by the tests
to check that an administration's own model (other labels, NHWC grey input) plugs in by description.
Its 'pistol' score is the mean brightness of the image; its other label is not a screening category."""
import onnx
from onnx import TensorProto, helper

nodes = [
    helper.make_node('ReduceMean', ['pixels'], ['mean'], axes=[1, 2, 3], keepdims=0),
    helper.make_node('Constant', [], ['shape'], value=helper.make_tensor('s', TensorProto.INT64, [2], [1, 1])),
    helper.make_node('Reshape', ['mean', 'shape'], ['score0']),
    helper.make_node('Constant', [], ['score1'], value=helper.make_tensor('c', TensorProto.FLOAT, [1, 1], [0.9])),
    helper.make_node('Concat', ['score0', 'score1'], ['det_scores'], axis=1),
    helper.make_node('Constant', [], ['det_boxes'], value=helper.make_tensor(
        'b', TensorProto.FLOAT, [1, 2, 4], [0.1, 0.1, 0.5, 0.5, 0.6, 0.6, 0.9, 0.9])),
    helper.make_node('Constant', [], ['det_labels'], value=helper.make_tensor('l', TensorProto.INT64, [1, 2], [1, 0])),
]
graph = helper.make_graph(
    nodes, 'fixture-boxes',
    [helper.make_tensor_value_info('pixels', TensorProto.FLOAT, [1, 64, 64, 1])],
    [helper.make_tensor_value_info('det_boxes', TensorProto.FLOAT, [1, 2, 4]),
     helper.make_tensor_value_info('det_scores', TensorProto.FLOAT, [1, 2]),
     helper.make_tensor_value_info('det_labels', TensorProto.INT64, [1, 2])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='parcelgate-tests')
model.ir_version = 7
onnx.checker.check_model(model)
onnx.save(model, 'fixture-boxes.onnx')
