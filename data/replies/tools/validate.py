#!/usr/bin/env python3
"""Validate a batch file of armguard's labelled reply set. Usage: validate.py FILE [FILE...]"""
import json, sys, collections
CATS = {"insult", "threat", "identity_attack", "obscene", "sexual"}
TOXIC_KINDS = {"direct_insult", "indirect_insult", "condescension", "sarcasm", "harassment", "threat",
               "identity_attack", "sexual_harassment", "profanity", "obfuscated", "dismissive_hostile"}
CLEAN_KINDS = {"plain", "civil_negative", "technical", "medical", "quoting_condemn", "discussing_toxicity",
               "refusal", "innocent_substring", "friendly_banter", "emotional_clean", "toxic_prompt_clean_reply",
               "blunt_feedback", "violent_fiction_or_history", "profanity_free_anger", "compliment"}
ok = True
for path in sys.argv[1:]:
    ids, texts = set(), set()
    kinds, cats, tox = collections.Counter(), collections.Counter(), collections.Counter()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line:
            continue
        def bad(msg):
            global ok
            ok = False
            print(f"{path}:{n}: {msg}")
        try:
            r = json.loads(line)
        except Exception as e:
            bad(f"not JSON: {e}"); continue
        for k in ("id", "prompt", "reply", "toxicity", "categories", "span", "kind", "domain"):
            if k not in r: bad(f"missing {k}")
        if not all(k in r for k in ("id", "reply", "toxicity", "categories", "kind")): continue
        if r["id"] in ids: bad(f"duplicate id {r['id']}")
        ids.add(r["id"])
        if r["reply"] in texts: bad("duplicate reply text")
        texts.add(r["reply"])
        words = len(r["reply"].split())
        if not 3 <= words <= 60: bad(f"reply has {words} words (3-60)")
        if r["toxicity"] not in (0, 1): bad("toxicity must be 0 or 1")
        if not set(r["categories"]) <= CATS: bad(f"unknown categories {r['categories']}")
        if r["toxicity"] == 1:
            if not r["categories"]: bad("toxic item needs at least one category")
            if not r.get("span") or r["span"] not in r["reply"]: bad("span must be an exact substring of reply")
            if r["kind"] not in TOXIC_KINDS: bad(f"kind {r['kind']} is not a toxic kind")
        else:
            if r["categories"]: bad("non-toxic item must have no categories")
            if r.get("span") is not None: bad("non-toxic item must have span null")
            if r["kind"] not in CLEAN_KINDS: bad(f"kind {r['kind']} is not a non-toxic kind")
        kinds[r["kind"]] += 1; tox[r["toxicity"]] += 1
        for c in r["categories"]: cats[c] += 1
    print(f"{path}: {len(ids)} items, toxic {tox[1]}, non-toxic {tox[0]}")
    print("  categories:", dict(cats))
    print("  kinds:", dict(sorted(kinds.items())))
sys.exit(0 if ok else 1)
