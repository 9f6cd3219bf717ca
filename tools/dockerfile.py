#!/usr/bin/env python3
"""Reads a Dockerfile as docker does (comment lines dropped, continuation
lines joined) into its stages: [{"image", "name", "steps": [{"op", ...}]}].
Only the instructions deploy/Dockerfile uses are understood; any other is an
error, so that tools/check-dockerfile.sh never skips one silently.

    python3 tools/dockerfile.py deploy/Dockerfile   # the stages as JSON
"""
import json
import re
import sys


def _lines(text):
    lines, cur = [], ""
    for s in text.splitlines():
        if re.match(r"\s*#", s) or (not s.strip() and not cur):
            continue
        if s.rstrip().endswith("\\"):
            cur += s.rstrip()[:-1]
            continue
        lines.append((cur + s).strip())
        cur = ""
    if cur.strip():
        lines.append(cur.strip())
    return lines


def _command(args):
    """Exec form (a JSON array) or shell form."""
    return {"exec": json.loads(args)} if args.startswith("[") else {"shell": args}


def stages(text):
    out = []
    for line in _lines(text):
        word, _, args = line.partition(" ")
        word, args = word.upper(), args.strip()
        if word == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else str(len(out))
            out.append({"image": parts[0], "name": name, "steps": []})
            continue
        if not out:
            raise ValueError(f"{word} before FROM")
        step = {"op": word}
        if word in ("RUN", "ENTRYPOINT", "CMD"):
            step.update(_command(args))
        elif word == "HEALTHCHECK":
            rest = re.sub(r"^(--\S+\s+)*", "", args)
            if not rest.upper().startswith("CMD"):
                raise ValueError("HEALTHCHECK: only HEALTHCHECK [options] CMD ... is understood")
            step.update(_command(rest[3:].strip()))
        elif word == "COPY":
            parts = args.split()
            flags = [p for p in parts if p.startswith("--")]
            if any(not f.startswith("--from=") for f in flags):
                raise ValueError(f"COPY: only --from is understood: {line}")
            parts = [p for p in parts if not p.startswith("--")]
            step["from"] = next((f.split("=", 1)[1] for f in flags), None)
            step["src"], step["dest"] = parts[:-1], parts[-1]
        elif word in ("WORKDIR", "USER", "VOLUME", "EXPOSE"):
            step["arg"] = args
        else:
            raise ValueError(f"{word} is not understood: {line}")
        out[-1]["steps"].append(step)
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        try:
            json.dump(stages(f.read()), sys.stdout, ensure_ascii=False, indent=1)
        except ValueError as e:
            sys.exit(f"{sys.argv[1]}: {e}")
