#!/usr/bin/python3
"""PyTorch-eager reference for `./plm4j bench embed` and `./plm4j bench finetune`.

A Hugging Face `BertModel` written in plain PyTorch (Debian's python3-torch has no transformers):
word + position + token-type embeddings, LayerNorm, per layer separate Q/K/V projections,
scaled dot-product attention with an additive padding mask (Hugging Face's eager attention; Debian's
torch 1.13 has no fused `scaled_dot_product_attention`),
output projection, residual + LayerNorm, exact-erf GELU FFN, residual + LayerNorm. The weights are
the safetensors file plm4j wrote for all-MiniLM-L6-v2, read without the safetensors package.

The token ids come from the benchmark (a JSON file plm4j wrote), so both sides see the same input.

  embed:    mean pooling under the attention mask over the given batches; prints seconds and the
            embeddings' checksum so the benchmark can check both sides computed the same thing.
  finetune: BertForSequenceClassification-style training ([CLS] -> pooler dense + tanh -> dropout
            -> linear), cross-entropy, AdamW (decay not on biases/LayerNorm), clipping at 1.0, linear
            warm-up; prints the median step time after the warm-up and the tokens/s it gives.

Prints one JSON line. Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_info import blas

DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32))
    return out


class Layer(nn.Module):
    def __init__(self, h, heads, ffn):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.o = nn.Linear(h, h)
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.f1, self.f2 = nn.Linear(h, ffn), nn.Linear(ffn, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)

    def forward(self, x, mask, p):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        probs = F.dropout((q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + mask).softmax(-1), p, self.training)
        ctx = probs @ v
        x = self.ln1(F.dropout(self.o(ctx.transpose(1, 2).reshape(b, t, h)), p, self.training) + x)
        return self.ln2(F.dropout(self.f2(F.gelu(self.f1(x))), p, self.training) + x)


class Bert(nn.Module):
    def __init__(self, cfg, labels=0):
        super().__init__()
        h = cfg["hidden_size"]
        self.word = nn.Embedding(cfg["vocab_size"], h)
        self.pos = nn.Embedding(cfg["max_position_embeddings"], h)
        self.token_type = nn.Embedding(cfg["type_vocab_size"], h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.layers = nn.ModuleList(Layer(h, cfg["num_attention_heads"], cfg["intermediate_size"])
                                    for _ in range(cfg["num_hidden_layers"]))
        self.p = cfg.get("hidden_dropout_prob", 0.1)
        if labels:
            self.pooler = nn.Linear(h, h)
            self.classifier = nn.Linear(h, labels)

    def load(self, w):
        pre = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        g = lambda n: w[pre + n]
        with torch.no_grad():
            self.word.weight.copy_(g("embeddings.word_embeddings.weight"))
            self.pos.weight.copy_(g("embeddings.position_embeddings.weight"))
            self.token_type.weight.copy_(g("embeddings.token_type_embeddings.weight"))
            self.ln.weight.copy_(g("embeddings.LayerNorm.weight"))
            self.ln.bias.copy_(g("embeddings.LayerNorm.bias"))
            for i, l in enumerate(self.layers):
                e = "encoder.layer.%d." % i
                for mod, name in ((l.q, "attention.self.query"), (l.k, "attention.self.key"),
                                  (l.v, "attention.self.value"), (l.o, "attention.output.dense"),
                                  (l.f1, "intermediate.dense"), (l.f2, "output.dense")):
                    mod.weight.copy_(g(e + name + ".weight"))
                    mod.bias.copy_(g(e + name + ".bias"))
                for mod, name in ((l.ln1, "attention.output.LayerNorm"), (l.ln2, "output.LayerNorm")):
                    mod.weight.copy_(g(e + name + ".weight"))
                    mod.bias.copy_(g(e + name + ".bias"))

    def forward(self, ids, attention):
        b, t = ids.shape
        x = self.word(ids) + self.pos.weight[:t] + self.token_type.weight[0]
        x = F.dropout(self.ln(x), self.p, self.training)
        mask = ((attention - 1.0) * 1e9).view(b, 1, 1, t)   # additive, as Hugging Face's eager BERT
        p = self.p if self.training else 0.0
        for layer in self.layers:
            x = layer(x, mask, p)
        return x


def padded(batch):
    t = max(len(s) for s in batch)
    ids = torch.zeros(len(batch), t, dtype=torch.long)
    att = torch.zeros(len(batch), t)
    for i, s in enumerate(batch):
        ids[i, :len(s)] = torch.tensor(s)
        att[i, :len(s)] = 1
    return ids, att


def embed(model, batches):
    tensors = [padded(b) for b in batches]   # built before the clock starts, as plm4j's ids are
    out = []
    t0 = time.perf_counter()
    with torch.inference_mode():
        for ids, att in tensors:
            x = model(ids, att)
            out.append((x * att.unsqueeze(-1)).sum(1) / att.sum(1, keepdim=True))
    secs = time.perf_counter() - t0
    e = torch.cat(out)
    return secs, e


def finetune(model, batches, labels, warmup_steps, lr, freeze_embeddings):
    model.train()
    if freeze_embeddings:
        for m in (model.word, model.pos, model.token_type, model.ln):
            m.requires_grad_(False)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in params if not (n.endswith("bias") or "ln" in n)]
    no_decay = [p for n, p in params if n.endswith("bias") or "ln" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.999), eps=1e-8)
    total = len(batches)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, total // 10)))
    tensors = [(padded(b), torch.tensor(y)) for b, y in zip(batches, labels)]
    times = []
    for step, ((ids, att), y) in enumerate(tensors):
        t0 = time.perf_counter()
        x = model(ids, att)
        pooled = F.dropout(torch.tanh(model.pooler(x[:, 0])), model.p, True)
        loss = F.cross_entropy(model.classifier(pooled), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in params], 1.0)
        opt.step()
        sched.step()
        if not math.isfinite(loss.item()):
            raise SystemExit("loss became " + str(loss.item()))
        if step >= warmup_steps:
            times.append(time.perf_counter() - t0)
    med = float(np.median(times))
    return ids.numel() / med, med, loss.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["embed", "finetune"])
    ap.add_argument("--model", required=True, help="Hugging Face directory (config.json, model.safetensors)")
    ap.add_argument("--input", required=True, help="JSON: {\"batches\": [[[ids]...]...], \"labels\": [[...]...]}")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--freeze-embeddings", action="store_true", help="finetune: embeddings and their LayerNorm frozen")
    ap.add_argument("--embeddings-out", help="embed: write the embeddings here as little-endian float32")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    cfg = json.load(open(a.model + "/config.json"))
    data = json.load(open(a.input))
    batches = data["batches"]
    result = {"torch": torch.__version__, "blas": blas(), "threads": torch.get_num_threads()}
    if a.mode == "embed":
        model = Bert(cfg)
        model.load(read_safetensors(a.model + "/model.safetensors"))
        model.eval()
        embed(model, batches[:2])   # warm-up
        secs, e = embed(model, batches)
        if a.embeddings_out:
            e.numpy().astype("<f4").tofile(a.embeddings_out)
        result.update(seconds=secs, texts=int(e.shape[0]))
    else:
        labels = data["labels"]
        model = Bert(cfg, labels=int(data["classes"]))
        model.load(read_safetensors(a.model + "/model.safetensors"))
        tps, med, last = finetune(model, batches, labels, a.warmup, a.lr, a.freeze_embeddings)
        result.update(tokens_per_second=tps, median_step_seconds=med, last_loss=last)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
