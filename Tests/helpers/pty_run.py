"""Runs a command on a terminal of COLS x ROWS (a pseudo-terminal) and prints what it showed:
how tests see ap as a person at a terminal does (TIOCGWINSZ, the pager).
Usage: pty_run.py COLS ROWS COMMAND [ARG...]"""
import fcntl, os, pty, struct, sys, termios


def run(cols, rows, argv):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvp(argv[0], argv)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    return out.decode(errors="replace"), os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    text, code = run(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
    sys.stdout.write(text.replace("\r\n", "\n"))
    sys.exit(code)
