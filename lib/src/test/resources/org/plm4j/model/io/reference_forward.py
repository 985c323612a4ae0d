"""Reference forward pass of a Hugging Face BERT / RoBERTa / DistilBERT directory in plain PyTorch.

Written for the tests from the transformers model definitions (post-LayerNorm encoder, exact erf
GELU, additive attention mask), without transformers itself (not packaged in Debian). Reads
config.json and model.safetensors (F32/F16/BF16) with numpy.

usage: reference_forward.py MODEL_DIR INPUT_JSON OUTPUT_JSON
INPUT_JSON: {"input_ids": [[...]], "attention_mask": [[...]], "token_type_ids": [[...]] or null}
OUTPUT_JSON: {"hidden": [batch][length][hidden], "logits": [batch][length][vocab] or null}
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        raw = data[base + a:base + b]
        dt = t["dtype"]
        if dt == "F32":
            arr = np.frombuffer(raw, dtype="<f4")
        elif dt == "F16":
            arr = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif dt == "BF16":
            arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        elif dt == "I64":
            arr = np.frombuffer(raw, dtype="<i8")
        else:
            raise ValueError("dtype " + dt)
        out[name] = torch.from_numpy(arr.copy().reshape(t["shape"]))
    return out


def main():
    model_dir, input_path, output_path = sys.argv[1:4]
    cfg = json.load(open(model_dir + "/config.json"))
    w = read_safetensors(model_dir + "/model.safetensors")
    inp = json.load(open(input_path))
    ids = torch.tensor(inp["input_ids"], dtype=torch.long)
    mask = torch.tensor(inp["attention_mask"], dtype=torch.float32)
    types = inp.get("token_type_ids")
    mtype = cfg["model_type"]
    torch.set_grad_enabled(False)

    def find(*names):
        for n in names:
            if n in w:
                return w[n]
        raise KeyError(names)

    if mtype == "distilbert":
        p = "distilbert." if "distilbert.embeddings.word_embeddings.weight" in w else ""
        hidden, heads, layers, eps = cfg["dim"], cfg["n_heads"], cfg["n_layers"], 1e-12
        e = p + "embeddings."
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = w[e + "word_embeddings.weight"][ids] + w[e + "position_embeddings.weight"][pos]
        x = F.layer_norm(x, (hidden,), w[e + "LayerNorm.weight"], w[e + "LayerNorm.bias"], eps)
        names = lambda i: {
            "q": p + f"transformer.layer.{i}.attention.q_lin.", "k": p + f"transformer.layer.{i}.attention.k_lin.",
            "v": p + f"transformer.layer.{i}.attention.v_lin.", "o": p + f"transformer.layer.{i}.attention.out_lin.",
            "ln1": p + f"transformer.layer.{i}.sa_layer_norm.", "f1": p + f"transformer.layer.{i}.ffn.lin1.",
            "f2": p + f"transformer.layer.{i}.ffn.lin2.", "ln2": p + f"transformer.layer.{i}.output_layer_norm."}
    else:
        p = mtype + "." if mtype + ".embeddings.word_embeddings.weight" in w else ""
        hidden, heads, layers = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]
        eps = cfg.get("layer_norm_eps", 1e-12)
        e = p + "embeddings."
        if mtype == "roberta":
            pad = cfg.get("pad_token_id", 1)
            m = ids.ne(pad).int()
            pos = (torch.cumsum(m, dim=1).type_as(m) * m).long() + pad
        else:
            pos = torch.arange(ids.shape[1]).unsqueeze(0)
        tt = torch.zeros_like(ids) if types is None else torch.tensor(types, dtype=torch.long)
        x = w[e + "word_embeddings.weight"][ids] + w[e + "position_embeddings.weight"][pos]
        x = x + w[e + "token_type_embeddings.weight"][tt]
        x = F.layer_norm(x, (hidden,), w[e + "LayerNorm.weight"], w[e + "LayerNorm.bias"], eps)
        names = lambda i: {
            "q": p + f"encoder.layer.{i}.attention.self.query.", "k": p + f"encoder.layer.{i}.attention.self.key.",
            "v": p + f"encoder.layer.{i}.attention.self.value.", "o": p + f"encoder.layer.{i}.attention.output.dense.",
            "ln1": p + f"encoder.layer.{i}.attention.output.LayerNorm.", "f1": p + f"encoder.layer.{i}.intermediate.dense.",
            "f2": p + f"encoder.layer.{i}.output.dense.", "ln2": p + f"encoder.layer.{i}.output.LayerNorm."}

    b, t = ids.shape
    dh = hidden // heads
    additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
    lin = lambda x, n: F.linear(x, w[n + "weight"], w[n + "bias"])
    split = lambda x: x.view(b, t, heads, dh).permute(0, 2, 1, 3)
    for i in range(layers):
        n = names(i)
        q, k, v = split(lin(x, n["q"])), split(lin(x, n["k"])), split(lin(x, n["v"]))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(dh) + additive
        ctx = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3).reshape(b, t, hidden)
        x = F.layer_norm(lin(ctx, n["o"]) + x, (hidden,), w[n["ln1"] + "weight"], w[n["ln1"] + "bias"], eps)
        ffn = lin(F.gelu(lin(x, n["f1"])), n["f2"])
        x = F.layer_norm(ffn + x, (hidden,), w[n["ln2"] + "weight"], w[n["ln2"] + "bias"], eps)

    logits = None
    heads_by_type = {
        "bert": ("cls.predictions.transform.dense.", "cls.predictions.transform.LayerNorm.",
                 ("cls.predictions.bias", "cls.predictions.decoder.bias")),
        "roberta": ("lm_head.dense.", "lm_head.layer_norm.", ("lm_head.bias", "lm_head.decoder.bias")),
        "distilbert": ("vocab_transform.", "vocab_layer_norm.", ("vocab_projector.bias",)),
    }
    dense, ln, bias = heads_by_type[mtype]
    if dense + "weight" in w:
        h = F.gelu(lin(x, dense))
        h = F.layer_norm(h, (hidden,), w[ln + "weight"], w[ln + "bias"], eps)
        logits = F.linear(h, w[e + "word_embeddings.weight"], find(*bias)).tolist()
    json.dump({"hidden": x.tolist(), "logits": logits}, open(output_path, "w"))


if __name__ == "__main__":
    main()
