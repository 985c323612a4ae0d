"""A reference BERT forward pass in plain PyTorch over an exported Hugging Face BertForMaskedLM
directory, written from the Hugging Face BERT architecture and reading only the exported files
(config.json, model.safetensors) by their Hugging Face names.

usage: bert_reference.py MODEL_DIR INPUT_JSON OUTPUT_JSON
INPUT_JSON: {"input_ids": [[...], ...], "attention_mask": [[...], ...]}
OUTPUT_JSON: {"hidden": [...], "logits": [...]}, each flattened in row-major order:
last hidden states [batch, length, hidden] and MLM logits [batch, length, vocab].
Needs only Debian's python3-torch and python3-numpy (no transformers, no safetensors package).
"""
import json
import math
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """The safetensors format: an 8-byte little-endian header size, a JSON header mapping each
    tensor name to dtype, shape and [begin, end) byte offsets, then the raw little-endian data."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        begin, end = meta["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[meta["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.astype(np.float32).reshape(meta["shape"]).copy())
    return tensors


def layer_norm(x, w, b, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, eps)


def gelu(x):
    # Hugging Face's "gelu": the exact erf form
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def forward(cfg, w, ids, mask):
    assert cfg["hidden_act"] == "gelu", cfg["hidden_act"]
    eps = cfg["layer_norm_eps"]
    heads = cfg["num_attention_heads"]
    b, t = ids.shape
    h = cfg["hidden_size"]
    dh = h // heads
    p = "bert.embeddings."
    x = (w[p + "word_embeddings.weight"][ids]
         + w[p + "position_embeddings.weight"][torch.arange(t)].unsqueeze(0)
         + w[p + "token_type_embeddings.weight"][torch.zeros_like(ids)])
    x = layer_norm(x, w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"], eps)
    # Hugging Face's extended attention mask: 0 for real keys, the float minimum for padding
    additive = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min

    def linear(v, name):
        return v @ w[name + ".weight"].T + w[name + ".bias"]

    def split_heads(v):
        return v.view(b, t, heads, dh).permute(0, 2, 1, 3)

    for i in range(cfg["num_hidden_layers"]):
        layer = f"bert.encoder.layer.{i}."
        q = split_heads(linear(x, layer + "attention.self.query"))
        k = split_heads(linear(x, layer + "attention.self.key"))
        v = split_heads(linear(x, layer + "attention.self.value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh) + additive
        context = (torch.softmax(scores, dim=-1) @ v).permute(0, 2, 1, 3).reshape(b, t, h)
        x = layer_norm(linear(context, layer + "attention.output.dense") + x,
                       w[layer + "attention.output.LayerNorm.weight"], w[layer + "attention.output.LayerNorm.bias"], eps)
        inter = gelu(linear(x, layer + "intermediate.dense"))
        x = layer_norm(linear(inter, layer + "output.dense") + x,
                       w[layer + "output.LayerNorm.weight"], w[layer + "output.LayerNorm.bias"], eps)
    hidden = x
    c = "cls.predictions."
    z = gelu(linear(hidden, c + "transform.dense"))
    z = layer_norm(z, w[c + "transform.LayerNorm.weight"], w[c + "transform.LayerNorm.bias"], eps)
    logits = z @ w[c + "decoder.weight"].T + w[c + "bias"]
    return hidden, logits


def main(model_dir, input_json, output_json):
    with open(model_dir + "/config.json", encoding="utf-8") as f:
        cfg = json.load(f)
    weights = read_safetensors(model_dir + "/model.safetensors")
    with open(input_json, encoding="utf-8") as f:
        inputs = json.load(f)
    ids = torch.tensor(inputs["input_ids"], dtype=torch.int64)
    mask = torch.tensor(inputs["attention_mask"], dtype=torch.float32)
    with torch.no_grad():
        hidden, logits = forward(cfg, weights, ids, mask)
    with open(output_json, "w", encoding="utf-8") as f:
        json.dump({"hidden": hidden.reshape(-1).tolist(), "logits": logits.reshape(-1).tolist()}, f)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(*sys.argv[1:4])
