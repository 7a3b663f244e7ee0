#!/usr/bin/env python3
"""make bench-identity: the cost of signatures (issue 22), at 10,000 cases by default.

Usage: scripts/bench_identity.py [--cases N] [--pairs K]
Builds an unsigned and a signed repository with the same N cases (each with a PSR owned
by pat), then measures, alternating unsigned and signed runs so both see the same machine:
  - one write (`ap case update`), K pairs: the median difference is what signing adds;
  - one `ap batch` of N update lines on the N cases, 3 pairs, on fresh copies: the ratio;
  - `ap verify --all` over N cases whose every write was signed on its own (N signatures);
  - `ap verify` after 500 new single writes (the remembered signatures skip the rest);
and `ssh-keygen -Y sign` alone, the floor of a signed write.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

def timed(cmd, env, stdin=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}): {p.stderr}")
    return elapsed

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cases", type=int, default=10_000)
    a.add_argument("--pairs", type=int, default=11)
    args = a.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = os.path.join(root, ".build/release/ap")
    work = tempfile.mkdtemp(prefix="ap-identity-bench-")
    try:
        run(ap, work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)

def run(ap, work, args):
    n = args.cases
    for who in ["admin", "pat"]:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{work}/{who}"], check=True)
    base = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=f"{work}/cache")
    base.pop("SSH_AUTH_SOCK", None)
    envs = {}
    for kind in ["unsigned", "signed"]:
        repo = f"{work}/{kind}"
        key = ["--admin-key", f"{work}/admin.pub"] if kind == "signed" else []
        subprocess.run([ap, "init", repo, "--yot", "BENCH", "--yot-name", "Bench", "--admin", "admin"] + key,
                       check=True, capture_output=True, env=base)
        env = dict(base, AP_REPO=repo, AP_USER="admin", AP_SIGNING_KEY=f"{work}/admin")
        add = ["--key-file", f"{work}/pat.pub"] if kind == "signed" else []
        subprocess.run([ap, "user", "add", "pat", "--name", "Pat", "--role", "practitioner"] + add, check=True,
                       capture_output=True, env=env)
        cases = "\n".join(json.dumps(["case", "new", f"YP-{i:05d}", "--name", f"P {i}", "--dob", "2010-01-01"])
                          for i in range(n))
        timed([ap, "batch", "-"], env, cases)
        pat = dict(env, AP_USER="pat", AP_SIGNING_KEY=f"{work}/pat")
        timed([ap, "batch", "-"], pat, "\n".join(json.dumps(["stage", "new", f"YP-{i:05d}", "--kind", "psr"])
                                                for i in range(n)))
        envs[kind] = pat
    print(f"\nsignatures (issue 22): {n:,} cases, this machine ({os.cpu_count()} cores)\n")
    print("| what | unsigned s | signed s | signed − unsigned | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")

    # One write, alternating.
    u, s = [], []
    for k in range(args.pairs):
        u.append(timed([ap, "case", "update", "YP-00001", f"name=Name {k}"], envs["unsigned"]))
        s.append(timed([ap, "case", "update", "YP-00001", f"name=Name {k}"], envs["signed"]))
    mu, ms = statistics.median(u), statistics.median(s)
    print(f"| one write (`ap case update`, {args.pairs} pairs, medians) | {mu:.4f} | {ms:.4f} | "
          f"{(ms - mu) * 1000:.1f} ms | {ms / mu:.2f}× |")

    # A batch of n update lines on n cases, fresh copies, alternating.
    lines = "\n".join(json.dumps(["stage", "set", f"YP-{i:05d}", f"pfs.health=update for case {i}", "rosh=low"])
                      for i in range(n)) + "\n"
    with open(f"{work}/updates.jsonl", "w") as f:
        f.write(lines)
    u, s = [], []
    for k in range(3):
        for kind, out in [("unsigned", u), ("signed", s)]:
            shutil.rmtree(f"{work}/run", ignore_errors=True)
            shutil.copytree(f"{work}/{kind}", f"{work}/run")
            out.append(timed([ap, "batch", f"{work}/updates.jsonl"], dict(envs[kind], AP_REPO=f"{work}/run")))
    mu, ms = statistics.median(u), statistics.median(s)
    print(f"| `ap batch`, {n:,} update lines on {n:,} cases (3 pairs, medians) | {mu:.2f} | {ms:.2f} | "
          f"{ms - mu:.2f} s | {ms / mu:.2f}× |")
    shutil.rmtree(f"{work}/run", ignore_errors=True)

    # Every case written once more on its own: n signatures for verify to check.
    signed = envs["signed"]
    t = time.perf_counter()
    for i in range(n):
        subprocess.run([ap, "case", "update", f"YP-{i:05d}", f"name=Own {i}"], env=signed, check=True,
                       capture_output=True)
    print(f"\n({n:,} single signed writes took {time.perf_counter() - t:.1f} s in all)\n")
    print("| what | s |")
    print("| --- | ---: |")
    t_all = timed([ap, "verify", "--all"], signed)
    counts = json.loads(subprocess.run([ap, "verify", "--json"], env=signed, capture_output=True, text=True).stdout)
    print(f"| `ap verify --all`, {n:,} cases, {counts['events']:,} events under {n + 2:,} signatures | {t_all:.1f} |")
    for i in range(500):
        subprocess.run([ap, "case", "update", f"YP-{i:05d}", f"name=Again {i}"], env=signed, check=True,
                       capture_output=True)
    t_inc = timed([ap, "verify"], signed)
    print(f"| `ap verify` after 500 new single writes (the rest remembered) | {t_inc:.2f} |")
    t_warm = timed([ap, "verify"], signed)
    print(f"| `ap verify`, nothing new | {t_warm:.2f} |")
    floor = []
    for _ in range(args.pairs):
        floor.append(timed(["ssh-keygen", "-q", "-Y", "sign", "-n", "ap", "-f", f"{work}/pat"], base, "x" * 78))
    print(f"| `ssh-keygen -Y sign` alone (the floor of a signed write), median | {statistics.median(floor):.4f} |")

if __name__ == "__main__":
    main()
