#!/usr/bin/env python3
"""Imports a 1,000-message mbox (issue 27): Barnet sends 1,000 caretaking requests, each a
real ap e-mail, gathered into one mbox as a mail client keeps them (From_ lines, >From
quoting); Nottinghamshire imports the mbox in one `ap transfer import`, on a fresh copy each run.
Goal: under 10 seconds. Usage: scripts/bench_mail.py [--messages N] [--runs R] [--ap PATH]"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

QUESTIONS = ["reason-for-transfer", "coping-with-change", "transition-help", "specific-needs",
             "continuing-services", "compliance-and-breach", "requirements-deliverable"]


def ap(binary, env, *args, stdin=None):
    p = subprocess.run([binary, *args], env=env, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench_mail: ap {' '.join(args)} failed: {p.stderr}")
    return p.stdout


def repo(binary, work, name, code, yot_name):
    env = dict(os.environ, AP_USER="admin", NO_COLOR="1", AP_REPO=f"{work}/{name}")
    ap(binary, env, "init", f"{work}/{name}", "--yot", code, "--yot-name", yot_name, "--admin", "admin")
    for user, role in [("pat", "practitioner"), ("mo", "manager"), ("bo", "business-support")]:
        ap(binary, env, "user", "add", user, "--name", user.title(), "--role", role)
    return env


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--messages", type=int, default=1000)
    a.add_argument("--runs", type=int, default=3)
    a.add_argument("--ap", default=".build/release/ap")
    args = a.parse_args()
    binary = os.path.abspath(args.ap)
    work = tempfile.mkdtemp(prefix="ap-mail-bench-")
    try:
        barnet = repo(binary, work, "barnet", "BARNET", "Barnet YJS")
        notts = repo(binary, work, "notts", "NOTTS", "Nottinghamshire YJS")
        ids = [f"YP-{n:04d}" for n in range(args.messages)]
        setup = []
        for i in ids:
            setup.append(json.dumps({"as": "bo", "args": ["case", "new", i, "--name", f"Person {i}", "--dob",
                                                          "2010-01-01"]}))
            setup.append(json.dumps({"as": "pat", "args": ["stage", "new", i, "--kind", "transfer-yot-to-yot"]}))
            setup.append(json.dumps({"as": "pat", "args": ["stage", "set", i] + [f"{q}=answered" for q in QUESTIONS]}))
            setup.append(json.dumps({"as": "pat", "args": ["stage", "submit", i]}))
        ap(binary, barnet, "batch", "-", stdin="\n".join(setup) + "\n")
        outbox = f"{work}/outbox"
        os.makedirs(outbox)
        env = dict(barnet, AP_USER="mo")
        for i in ids:
            ap(binary, env, "transfer", "send", i, "--to", "NOTTS", "--to-name", "Nottinghamshire YJS", "--kind",
               "caretaking", "--out", outbox)
        with open(f"{work}/cjsm.mbox", "wb") as mbox:
            for name in sorted(os.listdir(outbox)):
                if not name.endswith(".eml"):
                    continue
                body = open(f"{outbox}/{name}", "rb").read().replace(b"\r\n", b"\n")
                body = b"\n".join(b">" + line if line.lstrip(b">").startswith(b"From ") else line
                                  for line in body.split(b"\n"))
                mbox.write(b"From cjsm@example.invalid Mon Nov 30 09:00:00 2026\n" + body + b"\n\n")
        size = os.path.getsize(f"{work}/cjsm.mbox")
        print(f"\nmail: one mbox of {args.messages:,} ap e-mails ({size / 1e6:.1f} MB), "
              "imported by `ap transfer import` as business support\n")
        print("| what | median s | best s | goal |")
        print("| --- | ---: | ---: | --- |")
        times = []
        for _ in range(args.runs):
            shutil.rmtree(f"{work}/run", ignore_errors=True)
            shutil.copytree(f"{work}/notts", f"{work}/run")
            env = dict(notts, AP_USER="bo", AP_REPO=f"{work}/run")
            t = time.perf_counter()
            out = subprocess.run([binary, "transfer", "import", "--json", f"{work}/cjsm.mbox"], env=env,
                                 capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            statuses = [row["status"] for row in json.loads(out.stdout)]
            if out.returncode != 0 or statuses.count("imported") != args.messages:
                sys.exit(f"bench_mail: import failed: {out.stderr[:2000]}")
        median = statistics.median(times)
        print(f"| ap transfer import cjsm.mbox | {median:.3f} | {min(times):.3f} | "
              f"< 10 s: {'met' if median < 10 else 'NOT met'} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
