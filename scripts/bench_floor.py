#!/usr/bin/env python3
"""make bench-floor: ap's warm answers side by side with git status (issue 29).

Usage: scripts/bench_floor.py [--cases N] [--pairs K] [--repo DIR]
Generates DIR (default bench-floor-N/) with N cases through `ap-bench generate` once and
commits it to git, so that `git status --porcelain` walks the same tree. Then runs each ap
command and git status alternately (A, B, A, B ...; K pairs, default 11) with the index and
the page cache warm, and prints the medians and the ratio of medians. Each program is
started directly, not through a shell: a shell's start (about 2 ms here) added to both sides
drew every ratio towards 1. Figures go to BENCHMARKS.md; tests never assert times.
"""
import argparse, atexit, os, shutil, statistics, subprocess, sys, tempfile, time

ENV = dict(os.environ, AP_USER="p1")
NULL = os.open(os.devnull, os.O_WRONLY)

def once(argv, cwd):
    # posix_spawn with output to /dev/null: the least the harness can add to either side.
    os.chdir(cwd)
    t = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, ENV, file_actions=[
        (os.POSIX_SPAWN_DUP2, NULL, 1), (os.POSIX_SPAWN_DUP2, NULL, 2)])
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        p = subprocess.run(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        sys.exit(f"bench: '{' '.join(argv)}' failed: {p.stderr.decode()}")
    return elapsed

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cases", type=int, default=int(os.environ.get("N", "100000")))
    a.add_argument("--pairs", type=int, default=11)
    a.add_argument("--repo")
    args = a.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # Run as installed: a copy (as `make install` makes), not the file the linker wrote. Its
    # pages, as the linker left them in the page cache, ran the same bytes 0.3 ms slower.
    installed = tempfile.mkdtemp(prefix="ap-bench-")
    atexit.register(shutil.rmtree, installed, True)
    ap = os.path.join(installed, "ap")
    shutil.copy2(os.path.join(root, ".build/release/ap"), ap)
    repo = os.path.abspath(args.repo or f"bench-floor-{args.cases}")
    if not os.path.exists(os.path.join(repo, ".git")):
        subprocess.run([os.path.join(root, ".build/release/ap-bench"), "generate", repo, str(args.cases)], check=True)
        for cmd in ["git init -q", "git add -A", "git -c user.name=b -c user.email=b@b commit -qm bench"]:
            subprocess.run(cmd, cwd=repo, shell=True, check=True)
    peer = ["git", "status", "--porcelain"]
    rows = [("queue --json", [ap, "queue", "--json"]), ("due --json", [ap, "due", "--json"]),
            ("status", [ap, "status"]), ("case list --json", [ap, "case", "list", "--json"]),
            ("case list --name X", [ap, "case", "list", "--name", "Person 12"])]
    once([ap, "queue", "--json"], repo)  # the index, built once
    once(peer, repo)
    print(f"| {args.cases} cases | ap (s) | git status (s) | ratio |")
    print("|---|---|---|---|")
    for label, cmd in rows:
        once(cmd, repo)
        ours, theirs = [], []
        for _ in range(args.pairs):
            ours.append(once(cmd, repo))
            theirs.append(once(peer, repo))
        a_, b_ = statistics.median(ours), statistics.median(theirs)
        print(f"| ap {label} | {a_:.4f} | {b_:.4f} | {a_ / b_:.2f}x |", flush=True)

if __name__ == "__main__":
    main()
