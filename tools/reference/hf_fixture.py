# Writes tiny GPT-2 checkpoints with Hugging Face transformers (the reference implementation) plus the
# logits HF computes for a left-padded batch, so armguard's Java GPT-2 can be checked against them.
import json, os, sys, torch
from transformers import GPT2Config, GPT2LMHeadModel
from safetensors.torch import save_file
out = sys.argv[1]
torch.manual_seed(1234)
ids = [[50, 51, 52, 53, 54, 55, 56], [7, 8, 9], [300, 2, 999, 17, 4]]
T = max(len(x) for x in ids)
def batch():
    inp = torch.zeros(len(ids), T, dtype=torch.long); mask = torch.zeros(len(ids), T, dtype=torch.long)
    for i, x in enumerate(ids):
        inp[i, T-len(x):] = torch.tensor(x); mask[i, T-len(x):] = 1
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    return inp, mask, pos
for name, act, dtype in [("gelu_new-f32", "gelu_new", torch.float32), ("gelu-f32", "gelu", torch.float32), ("gelu_new-bf16", "gelu_new", torch.bfloat16), ("gelu_new-f16", "gelu_new", torch.float16)]:
    cfg = GPT2Config(vocab_size=1000, n_positions=64, n_embd=64, n_layer=2, n_head=4, activation_function=act,
                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=999, eos_token_id=999)
    m = GPT2LMHeadModel(cfg).eval()
    # make the weights less trivial than the default init (std 0.02 gives near-uniform logits)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    m = m.to(dtype).to(torch.float32) if dtype != torch.float32 else m   # logits of the rounded weights
    d = os.path.join(out, name); os.makedirs(d, exist_ok=True)
    m.to(dtype).save_pretrained(d, safe_serialization=True)
    m = m.to(torch.float32)
    inp, mask, pos = batch()
    with torch.no_grad():
        logits = m(input_ids=inp, attention_mask=mask, position_ids=pos).logits
    json.dump({"input_ids": inp.tolist(), "attention_mask": mask.tolist(), "position_ids": pos.tolist(),
               "logits": [[row.tolist() for row in seq] for seq in logits]}, open(os.path.join(d, "expected_logits.json"), "w"))
    print(name, "saved", os.listdir(d))
# a checkpoint without the transformer. prefix (GPT2Model), as base-model checkpoints carry
from transformers import GPT2Model
from safetensors.torch import load_file
d = os.path.join(out, "gelu_new-f32")
sd = load_file(os.path.join(d, "model.safetensors"))
print(sorted(sd.keys())[:8], len(sd))
