#!/usr/bin/env python3
"""Builds an Outlook .msg (MS-CFB holding MS-OXMSG) that carries a file as an attachment, as
Outlook's "Save As" would, for ap's tests. Standard library only.

Usage: make_msg.py OUT.msg ATTACHMENT [--name NAME] [--version 3|4] [--embedded] [--string8]
  [--signed] [--tnef] [--raw-tnef]
The attachment's sectors are laid out in reverse order behind a message body, so a reader
that looks for the payload right after the header, or assumes contiguous chains, fails.
--embedded puts the attachment inside a message attached to the message; --string8 writes
names as 8-bit text in code page 1252 (PT_STRING8, 001E); --signed wraps it in a
multipart/signed MIME entity as Outlook keeps a signed mail; --tnef wraps it in winmail.dat."""
import argparse, base64, struct

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


class Node:
    def __init__(self, name, data=None, children=None):
        self.name, self.data, self.children = name, data, children  # children: list for a storage

    @property
    def storage(self):
        return self.children is not None


def prop_stream(header, props):
    """A properties stream: header bytes, then 16-byte entries (tag, flags, value)."""
    out = bytearray(header)
    for tag, value in props:
        out += struct.pack('<II', tag, 6) + value.ljust(8, b'\0')
    return bytes(out)


def string_prop(pid, text, string8):
    if string8:
        return f'__substg1.0_{pid:04X}001E', text.encode('cp1252')
    return f'__substg1.0_{pid:04X}001F', text.encode('utf-16-le')


def message(attachment, name, string8, embedded, depth, mime=None):
    """The entries of a message whose one attachment is `attachment` (or a message holding it)."""
    streams = []
    for pid, text in [(0x001A, 'IPM.Note.SMIME.MultipartSigned' if mime == 'multipart/signed' else 'IPM.Note'),
                      (0x0037, 'Transfer package'), (0x1000, 'Please find the transfer attached.\n' * 120)]:
        streams.append(Node(*string_prop(pid, text, string8)))
    attach_props = [(0x37050003, struct.pack('<I', 5 if embedded else 1))]
    attach_children = [Node('__properties_version1.0', prop_stream(b'\0' * 8, attach_props))]
    if embedded:
        inner = message(attachment, name, string8, False, depth + 1)
        attach_children.append(Node('__substg1.0_3701000D', children=inner))
        attach_children.append(Node(*string_prop(0x3001, 'Forwarded message', string8)))
    else:
        attach_children.append(Node('__substg1.0_37010102', attachment))
        if name:
            attach_children.append(Node(*string_prop(0x3707, name, string8)))
            attach_children.append(Node(*string_prop(0x3704, 'AP-TRA~1.JSO', string8)))
        if mime:
            attach_children.append(Node(*string_prop(0x370E, mime, string8)))
    header = b'\0' * 8 + struct.pack('<IIII', 0, 1, 0, 1) + (b'\0' * 8 if depth == 0 else b'')
    props = [(0x3FFD0003, struct.pack('<I', 1252))]
    named = [Node(f'__substg1.0_000{k}0102', b'') for k in (2, 3, 4)]  # no named properties
    return ([Node('__properties_version1.0', prop_stream(header, props))] + streams
            + [Node('__attach_version1.0_#00000000', children=attach_children)]
            + ([Node('__nameid_version1.0', children=named)] if depth == 0 else []))


def build(root_children, version):
    shift = 9 if version == 3 else 12
    size = 1 << shift
    entries = [Node('Root Entry', children=root_children)]

    def collect(node):
        for c in node.children:
            entries.append(c)
            if c.storage:
                collect(c)
    collect(entries[0])
    index = {id(e): i for i, e in enumerate(entries)}

    # Small streams go in the mini stream, in 64-byte sectors.
    mini, minifat = bytearray(), []
    start, length = {}, {}
    for e in entries:
        if not e.storage and len(e.data) < 4096:
            first = len(mini) // 64
            count = max(1, (len(e.data) + 63) // 64) if e.data else 0
            start[id(e)] = first if count else END
            length[id(e)] = len(e.data)
            minifat += [first + k + 1 for k in range(count - 1)] + ([END] if count else [])
            mini += e.data.ljust(count * 64, b'\0')

    big = [e for e in entries if not e.storage and len(e.data) >= 4096]
    directory_bytes = 128 * len(entries)
    n_dir = (directory_bytes + size - 1) // size
    n_minifat = (len(minifat) * 4 + size - 1) // size
    n_mini = (len(mini) + size - 1) // size
    n_big = sum((len(e.data) + size - 1) // size for e in big)
    total_data = n_dir + n_minifat + n_mini + n_big
    n_fat = 1
    while n_fat * (size // 4) < total_data + n_fat:
        n_fat += 1
    assert n_fat <= 109
    fat = [FREE] * (n_fat * size // 4)
    sectors = {}
    nxt = [n_fat]

    def alloc(count, reverse=False):
        ids = list(range(nxt[0], nxt[0] + count))
        nxt[0] += count
        order = list(reversed(ids)) if reverse else ids
        for a, b in zip(order, order[1:]):
            fat[a] = b
        if order:
            fat[order[-1]] = END
        return order

    for k in range(n_fat):
        fat[k] = FATSECT
    dir_secs = alloc(n_dir)
    minifat_secs = alloc(n_minifat)
    mini_secs = alloc(n_mini)
    for e in big:
        secs = alloc((len(e.data) + size - 1) // size, reverse=True)
        start[id(e)], length[id(e)] = secs[0], len(e.data)
        for k, s in enumerate(secs):
            sectors[s] = e.data[k * size:(k + 1) * size]
    for k, s in enumerate(mini_secs):
        sectors[s] = bytes(mini[k * size:(k + 1) * size])
    mf = b''.join(struct.pack('<I', v) for v in minifat)
    for k, s in enumerate(minifat_secs):
        sectors[s] = mf[k * size:(k + 1) * size]

    def tree(children):
        """A balanced binary search tree of siblings (all black), in MS-CFB's name order."""
        ordered = sorted(children, key=lambda c: (len(c.name), c.name.upper()))
        links = {}

        def make(lo, hi):
            if lo >= hi:
                return NOSTREAM
            mid = (lo + hi) // 2
            links[id(ordered[mid])] = (make(lo, mid), make(mid + 1, hi))
            return index[id(ordered[mid])]
        return make(0, len(ordered)), links

    siblings, child = {}, {}
    for e in entries:
        if e.storage:
            top, links = tree(e.children)
            child[id(e)] = top
            siblings.update(links)
    directory = bytearray()
    for i, e in enumerate(entries):
        name = e.name.encode('utf-16-le') + b'\0\0'
        kind = 5 if i == 0 else (1 if e.storage else 2)
        left, right = siblings.get(id(e), (NOSTREAM, NOSTREAM))
        if i == 0:
            first, sz = (mini_secs[0] if mini_secs else END), len(mini)
        elif e.storage:
            first, sz = 0, 0
        else:
            first, sz = start[id(e)], length[id(e)]
        directory += (name.ljust(64, b'\0') + struct.pack('<HBB', len(name), kind, 1)
                      + struct.pack('<III', left, right, child.get(id(e), NOSTREAM))
                      + b'\0' * 16 + struct.pack('<I', 0) + b'\0' * 16 + struct.pack('<IQ', first, sz))
    for k, s in enumerate(dir_secs):
        sectors[s] = bytes(directory[k * size:(k + 1) * size])
    fatbytes = b''.join(struct.pack('<I', v) for v in fat)
    for k in range(n_fat):
        sectors[k] = fatbytes[k * size:(k + 1) * size]

    difat = [k for k in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (bytes.fromhex('D0CF11E0A1B11AE1') + b'\0' * 16 + struct.pack('<HHHHH', 0x3E, version, 0xFFFE, shift, 6)
              + b'\0' * 6 + struct.pack('<IIIIIIIII', n_dir if version == 4 else 0, n_fat, dir_secs[0], 0, 4096,
                                        minifat_secs[0] if minifat_secs else END, n_minifat, END, 0)
              + b''.join(struct.pack('<I', v) for v in difat))
    out = bytearray(header.ljust(size, b'\0'))
    for s in range(nxt[0]):
        out += sectors.get(s, b'').ljust(size, b'\0')
    return bytes(out)


def signed_entity(data, name):
    b64 = base64.encodebytes(data).replace(b'\n', b'\r\n')
    return (b'Content-Type: multipart/signed; protocol="application/x-pkcs7-signature"; micalg=sha-256;\r\n'
            b' boundary="sig-boundary"\r\n\r\n--sig-boundary\r\n'
            b'Content-Type: multipart/mixed; boundary="inner"\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\n'
            b'Transfer attached.\r\n--inner\r\nContent-Type: application/octet-stream\r\n'
            b'Content-Disposition: attachment; filename="' + name.encode() + b'"\r\n'
            b'Content-Transfer-Encoding: base64\r\n\r\n' + b64 + b'--inner--\r\n\r\n--sig-boundary\r\n'
            b'Content-Type: application/x-pkcs7-signature; name="smime.p7s"\r\n'
            b'Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--sig-boundary--\r\n')


def tnef(data, name):
    """winmail.dat holding `data`: an attachment's render data, title, data and MAPI long name."""
    def attr(level, ident, value):
        return struct.pack('<BII', level, ident, len(value)) + value + struct.pack('<H', sum(value) & 0xFFFF)
    long_name = name.encode('utf-16-le') + b'\0\0'
    mapi = (struct.pack('<I', 1) + struct.pack('<HH', 0x001F, 0x3707) + struct.pack('<II', 1, len(long_name))
            + long_name.ljust((len(long_name) + 3) & ~3, b'\0'))
    return (struct.pack('<IH', 0x223E9F78, 0x1234) + attr(1, 0x00089006, b'\x01\x00\x01\x00')
            + attr(2, 0x00069002, b'\x01\x00\xff\xff\xff\xff' + b'\0' * 8) + attr(2, 0x00018010, b'AP-TRA~1.JSO\0')
            + attr(2, 0x0006800F, data) + attr(2, 0x00069005, mapi))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('out')
    p.add_argument('attachment')
    p.add_argument('--name', default=None)
    p.add_argument('--version', type=int, default=3)
    p.add_argument('--embedded', action='store_true')
    p.add_argument('--string8', action='store_true')
    p.add_argument('--signed', action='store_true')
    p.add_argument('--tnef', action='store_true')
    p.add_argument('--raw-tnef', action='store_true', help='write the winmail.dat itself, not a .msg')
    a = p.parse_args()
    data = open(a.attachment, 'rb').read()
    name = a.name or a.attachment.rsplit('/', 1)[-1]
    if a.raw_tnef:
        open(a.out, 'wb').write(tnef(data, name))
        return
    mime = None
    if a.signed:
        data, name, mime = signed_entity(data, name), None, 'multipart/signed'
    elif a.tnef:
        data, name, mime = tnef(data, name), 'winmail.dat', 'application/ms-tnef'
    open(a.out, 'wb').write(build(message(data, name, a.string8, a.embedded, 0, mime), a.version))


if __name__ == '__main__':
    main()
