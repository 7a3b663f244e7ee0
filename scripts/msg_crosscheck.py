#!/usr/bin/env python3
"""Cross-checks ap's Outlook .msg reader against extract_msg (installed in a virtual
environment): for every .msg file given, the (name, SHA-256) of each attachment of the
message itself must be the same in both. Embedded messages are compared by their own
attachments, which ap reports one level deeper; files extract_msg cannot open must be
refused by ap too. Usage: scripts/msg_crosscheck.py AP REPO FILE.msg...
(run it with the virtual environment's python; `make msg-crosscheck` sets that up)."""
import email, hashlib, json, subprocess, sys

import extract_msg


def theirs(path):
    """Attachment (name, sha256) pairs by extract_msg, or None when it cannot open the file."""
    try:
        msg = extract_msg.openMsg(path)
    except Exception:
        return None
    out = []
    if type(msg).__name__ == 'MessageSigned':
        # extract_msg lists the parts of the signed MIME entity; ap lists the entity itself
        # (and reads the parts with its e-mail reader): check that extract_msg's parts are
        # the entity's, then compare the entity.
        raw = msg.getStream('__attach_version1.0_#00000000/__substg1.0_37010102')
        parts = {(p.get_filename(), hashlib.sha256(p.get_payload(decode=True)).hexdigest())
                 for p in email.message_from_bytes(raw).walk() if p.get_filename()}
        listed = {(a.name, hashlib.sha256(a.data).hexdigest()) for a in msg.attachments}
        if parts != listed:
            return [('parts differ', str(sorted(parts)))]
        return [(None, hashlib.sha256(raw).hexdigest())]
    for a in msg.attachments:
        if not isinstance(a.data, (bytes, bytearray)):
            continue  # an embedded message or an OLE object
        name = a.longFilename or a.shortFilename or getattr(a, 'displayName', None)
        out.append((name, hashlib.sha256(a.data).hexdigest()))
    return sorted(out, key=lambda p: (p[1], p[0] or ''))


def ours(ap, repo, path):
    r = subprocess.run([ap, '-C', repo, '--as', 'bo', 'transfer', 'import', '--dry-run', '--json', path],
                       capture_output=True, text=True)
    report = json.loads(r.stdout)[0]
    if report['status'] == 'refused' and 'attachments' not in report and 'no transfer package' not in report['error']:
        return None
    pairs = [(a.get('name'), a['sha256']) for a in report.get('attachments', []) if a['depth'] == 1]
    return sorted(pairs, key=lambda p: (p[1], p[0] or ''))


def main():
    ap, repo, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    agree, differ = 0, []
    for path in files:
        a, b = ours(ap, repo, path), theirs(path)
        if a == b:
            agree += 1
        else:
            differ.append((path, a, b))
    for path, a, b in differ:
        print(f'DIFFER {path}\n  ap:          {a}\n  extract_msg: {b}')
    print(f'{agree} of {len(files)} .msg files agree with extract_msg')
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
