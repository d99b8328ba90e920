// Package model saves and loads kiso models as files.
//
// A kiso model file (.kiso) is a safetensors file: an 8-byte little-endian
// header length, a JSON header naming each tensor's dtype, shape and byte
// range, then the raw little-endian data. The tensors are the network's
// parameters and buffers named PyTorch's way ("0.weight", "0.bias",
// "1.running_mean"), with Linear weights stored as PyTorch's [out, in], so
// that a PyTorch nn.Sequential of the same layers can load_state_dict them.
// The header's "__metadata__" holds the architecture (an nn.Spec as JSON)
// and how the model was trained (an Info as JSON), so Load rebuilds the
// network from the file alone.
//
// WriteSafetensors and ReadSafetensors handle the container format on its
// own; ReadSafetensors treats its input as hostile and checks every length
// and offset before using it.
//
// Exporters take a model elsewhere: ExportONNX writes an ONNX model (IR 8,
// opset 13) for inference in ONNX Runtime, and ExportTorch writes a
// safetensors state_dict with the Python that builds the matching
// torch.nn.Sequential and loads it.
package model
