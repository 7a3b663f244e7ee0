"""Types KEYS into an interactive zsh whose fpath holds DIR (with the _ap file), and prints
what the terminal showed: how the completion tests press TAB in zsh.
Usage: zsh_tab.py KEYS DIR CWD PATH   (KEYS with escapes, e.g. 'ap stag\\t')"""
import os, pty, select, signal, sys, time


def run(keys, fpath, cwd, path):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = dict(os.environ, PATH=path, TERM="dumb", HOME=cwd, ZDOTDIR=cwd)
        os.execvpe("zsh", ["zsh", "-f", "-i"], env)
    out = b""

    def read(until, cap):
        """Reads until `until()` holds, or for at most `cap` seconds."""
        nonlocal out
        end = time.time() + cap
        while time.time() < end and not until():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    return

    def quiet(seconds):
        """True once nothing has arrived for `seconds`."""
        state = {"size": -1, "since": time.time()}

        def check():
            if len(out) != state["size"]:
                state["size"], state["since"] = len(out), time.time()
            return time.time() - state["since"] >= seconds
        return check

    # Waited for, not slept through: on a busy machine compinit and each TAB's `ap` take
    # longer than any fixed pause (CI once saw nothing within five seconds).
    os.write(fd, f"fpath=({fpath} $fpath); autoload -U compinit; compinit -u; PS1='> '\n".encode())
    # The new prompt at the start of a line (the typed line holds "'> '" too).
    read(lambda: b"\n> " in out or b"\r> " in out, 60)
    os.write(fd, keys.encode())
    read(quiet(4), 60)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return out.decode(errors="replace")


if __name__ == "__main__":
    keys = sys.argv[1].encode().decode("unicode_escape")
    print(run(keys, sys.argv[2], sys.argv[3], sys.argv[4]))
