#!/usr/bin/env python3
"""Interleaved whole-process timing: each round runs every command once, in turn, so that the
drift of a shared machine's background load falls on all of them alike (hyperfine runs one
command's series after the other). Use it to compare two builds, with `--version` as a control:

    ROUNDS=300 benches/interleaved.py \
      "/tmp/old/agentguard --answers examples/kids-homework-miniprogram.yaml report --format md" \
      "./target/release/agentguard --answers examples/kids-homework-miniprogram.yaml report --format md" \
      "./target/release/agentguard --version"

A command may start with NAME=value words, set in its environment. Output is discarded.
"""
import os
import statistics
import sys
import time

rounds = int(os.environ.get("ROUNDS", "200"))
warmup = 10
commands = sys.argv[1:]
if not commands:
    sys.exit(__doc__)
devnull = os.open(os.devnull, os.O_WRONLY)
samples = [[] for _ in commands]
for r in range(rounds + warmup):
    for i, command in enumerate(commands):
        words = command.split()
        env = dict(os.environ)
        while words and "=" in words[0] and not words[0].startswith("-"):
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        start = time.perf_counter()
        pid = os.posix_spawn(
            words[0], words, env,
            file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)],
        )
        os.waitpid(pid, 0)
        if r >= warmup:
            samples[i].append((time.perf_counter() - start) * 1000)
for command, xs in zip(commands, samples):
    xs.sort()
    print(f"mean {statistics.mean(xs):6.2f} ms  median {statistics.median(xs):6.2f}  "
          f"p10 {xs[len(xs) // 10]:6.2f}  p90 {xs[9 * len(xs) // 10]:6.2f}  {command}")
