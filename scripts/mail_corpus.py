#!/usr/bin/env python3
"""Grafts a real transfer package into every message of CPython's email test corpus (each
installed Python's test/test_email/data/msg_*.txt) and counts how many `ap transfer import`
reads. Usage: scripts/mail_corpus.py AP PACKAGE.json REPO [CORPUS_GLOB]
The package goes in as one more part: before a multipart message's closing boundary, or
beside the body of a single-part one (which becomes multipart/mixed)."""
import base64, glob, os, re, subprocess, sys, tempfile


def graft(raw, package):
    b64 = base64.encodebytes(package)
    part = (b'Content-Type: application/json; name="ap-transfer-graft.json"\n'
            b'Content-Disposition: attachment; filename="ap-transfer-graft.json"\n'
            b'Content-Transfer-Encoding: base64\n\n' + b64)
    head, sep, body = raw.partition(b'\n\n')
    if not sep:
        head, body = raw, b''
    # A line that is not a header starts the body, as mail clients read it.
    lines = head.split(b'\n')
    for n, line in enumerate(lines):
        if not re.match(rb'^([\x21-\x39\x3b-\x7e]+:|[ \t])', line) and not (n == 0 and line.startswith(b'From ')):
            head, body = b'\n'.join(lines[:n]), b'\n'.join(lines[n:]) + sep + body
            break
    unfolded = re.sub(rb'\r?\n[ \t]+', b' ', head)
    m = re.search(rb'(?im)^content-type:\s*multipart/[^\n]*?boundary\s*=\s*"?([^";\r\n]+)"?', unfolded)
    if m:
        boundary = m.group(1).strip()
        close = b'--' + boundary + b'--'
        i = raw.rfind(close)
        if i >= 0:
            return raw[:i] + b'--' + boundary + b'\n' + part + b'\n' + raw[i:]
        return raw + b'\n--' + boundary + b'\n' + part + b'\n' + close + b'\n'
    # Single part: its content headers go with its body into the first part.
    lines = head.split(b'\n')
    keep, moved, current = [], [], None
    for line in lines:
        if line[:1] in (b' ', b'\t') and current is not None:
            current.append(line)
            continue
        current = moved if re.match(rb'(?i)content-', line) else keep
        current.append(line)
    boundary = b'ap-graft-boundary'
    keep = [line for line in keep if line]
    mime = [b'MIME-Version: 1.0', b'Content-Type: multipart/mixed; boundary="' + boundary + b'"']
    return (b'\n'.join(keep + mime) + b'\n\n'
            + b'--' + boundary + b'\n' + b'\n'.join(moved) + b'\n\n' + body + b'\n--' + boundary + b'\n' + part
            + b'\n--' + boundary + b'--\n')


def main():
    ap, package_path, repo = sys.argv[1:4]
    pattern = sys.argv[4] if len(sys.argv) > 4 else '/root/.pyenv/versions/*/lib/python*/**/data/msg_*.txt'
    package = open(package_path, 'rb').read()
    files = sorted(glob.glob(pattern, recursive=True))
    ok, failed = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for n, path in enumerate(files):
            eml = os.path.join(tmp, f'{n}.eml')
            open(eml, 'wb').write(graft(open(path, 'rb').read(), package))
            r = subprocess.run([ap, '-C', repo, '--as', 'bo', 'transfer', 'import', eml], capture_output=True, text=True)
            if r.returncode == 0:
                ok += 1
            else:
                failed.append((path, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else '?'))
    print(f'{ok} of {len(files)} messages imported')
    for path, why in failed:
        print(f'  {path}: {why}')


if __name__ == '__main__':
    main()
