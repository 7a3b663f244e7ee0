#!/usr/bin/env python3
"""make bench-sync: `ap sync` merging cases changed on both sides, beside a plain git pull and
push that needs no driver (issue 29).

Usage: scripts/bench_sync.py [--cases N] [--changed K] [--pairs P] [--before AP]
A generated repository of N cases (default 1,000) is shared through a bare hub. Site A
changes K cases (default 500) and pushes; site B changes the same K cases (a real merge of
each) and runs `ap sync`. The peer: a copy of B that changed K other cases runs
`git pull --no-rebase --no-edit && git push`, which merges without the driver. Runs alternate
(ap, peer, ap, peer ...; P pairs, default 9) on fresh copies; prints medians and the ratio.
--before AP times another ap binary the same way (an earlier build, for the change's effect).
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time


def sh(cmd, cwd=None, env=None, input=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, input=input, shell=isinstance(cmd, str), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench_sync: {cmd} failed: {p.stderr[:2000]}")
    return p.stdout


def batch(ap, repo, ids, value):
    lines = [json.dumps(["case", "update", i, f"social-care={value}"]) for i in ids]
    # A closed case refuses the update: the line fails, the rest are written and committed.
    subprocess.run([ap, "-C", repo, "--as", "admin", "batch", "-"], input="\n".join(lines) + "\n",
                   capture_output=True, text=True)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cases", type=int, default=1000)
    a.add_argument("--changed", type=int, default=500)
    a.add_argument("--pairs", type=int, default=9)
    a.add_argument("--before")
    a.add_argument("--keep", action="store_true", help="keep the sites (for profiling) and say where")
    args = a.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = os.path.join(root, ".build/release/ap")
    work = tempfile.mkdtemp(prefix="ap-sync-bench-")
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b",
               GIT_COMMITTER_EMAIL="b@b", NO_COLOR="1")
    try:
        seed, hub = f"{work}/seed", f"{work}/hub.git"
        sh([os.path.join(root, ".build/release/ap-bench"), "generate", seed, str(args.cases)])
        sh("git init -q && git add -A && git commit -qm seed", cwd=seed, env=env)
        sh([ap, "-C", seed, "--as", "admin", "git", "setup"], env=env)
        sh("git add -A && (git diff --cached --quiet || git commit -qm setup)", cwd=seed, env=env)
        sh(["git", "clone", "-q", "--bare", seed, hub])
        ids = sorted(json.loads(sh([ap, "-C", seed, "case", "list", "--json"]))[i]["case"] for i in range(args.cases))
        same, other = ids[:args.changed], ids[args.changed:2 * args.changed]
        sites = {}
        for name in ["a", "b", "peer"]:
            sites[name] = f"{work}/{name}"
            sh(["git", "clone", "-q", hub, sites[name]])
            sh([ap, "-C", sites[name], "case", "list"], env=env)  # sets the driver
        batch(ap, sites["a"], same, "known")
        sh("git push -q origin HEAD", cwd=sites["a"], env=env)
        batch(ap, sites["b"], same, "not-known")
        batch(ap, sites["peer"], other, "not-known")
        for name in ["b", "peer"]:
            shutil.copytree(sites[name], sites[name] + ".ready", symlinks=True)
        shutil.copytree(hub, hub + ".ready", symlinks=True)

        def fresh(name):
            for path in [hub, sites[name]]:
                shutil.rmtree(path)
                shutil.copytree(path + ".ready", path, symlinks=True)

        def timed(name, cmd):
            fresh(name)
            t = time.perf_counter()
            sh(cmd, cwd=sites[name], env=env)
            return time.perf_counter() - t

        runs = {"ap": [], "peer": [], "before": []}
        for _ in range(args.pairs):
            runs["ap"].append(timed("b", f"{ap} --as admin sync"))
            plain = "git pull -q --no-rebase --no-edit origin HEAD && git push -q origin HEAD"
            runs["peer"].append(timed("peer", plain))
            if args.before:
                runs["before"].append(timed("b", f"{os.path.abspath(args.before)} --as admin sync"))
        peer = statistics.median(runs["peer"])
        print(f"\nsync: {args.cases:,} cases, {args.changed} changed on both sides; {args.pairs} alternating runs\n")
        print("| what | median s | best s | ratio to git pull + push |")
        print("| --- | ---: | ---: | ---: |")
        rows = [("ap sync", "ap"), ("ap sync, earlier build", "before"), ("git pull + push (no driver)", "peer")]
        for label, key in rows:
            if runs[key]:
                m = statistics.median(runs[key])
                print(f"| {label} | {m:.3f} | {min(runs[key]):.3f} | {m / peer:.2f}x |")
        merged = json.loads(sh([ap, "-C", sites["b"], "case", "list", "--json"]))
        print(f"\n(site B holds {len(merged)} cases after the last run)")
    finally:
        if args.keep:
            print(f"(kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
