#!/usr/bin/python3
"""A tiny stand-in for a file manager: an undecorated GTK 3 window that offers files as a
`text/uri-list` drag, the way Nautilus or Thunar do. End-to-end tests press on it with xdotool and
drag onto the app, so the app receives a real XDND drop from another X client.

Usage: drag-source.py X Y FILE [FILE...]

Shows a 160x80 window with its top-left corner at screen position (X, Y), and prints one line
`READY x y width height` (the window's real screen geometry) on stdout once it is mapped and can
start a drag. Prints `DRAG-BEGIN`, `DRAG-DATA` and `DRAG-END <status>` as the drag goes on, and
exits after the drag ends (or when stdin closes, or after 120 s).
"""

import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

WIDTH, HEIGHT = 160, 80
URI_LIST = 0


def say(line):
    print(line, flush=True)


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    x, y = int(sys.argv[1]), int(sys.argv[2])
    uris = [GLib.filename_to_uri(os.path.abspath(p), None) for p in sys.argv[3:]]

    window = Gtk.Window(title="atlas-e2e-drag-source")
    window.set_decorated(False)
    window.set_default_size(WIDTH, HEIGHT)
    window.set_resizable(False)
    window.set_keep_above(True)
    window.move(x, y)

    box = Gtk.EventBox()
    box.add(Gtk.Label(label="drag me\n" + os.path.basename(sys.argv[3])))
    window.add(box)

    box.drag_source_set(
        Gdk.ModifierType.BUTTON1_MASK,
        [Gtk.TargetEntry.new("text/uri-list", 0, URI_LIST)],
        Gdk.DragAction.COPY,
    )

    def on_data_get(_widget, _context, selection, info, _time):
        if info == URI_LIST:
            selection.set_uris(uris)
            say("DRAG-DATA")

    def on_begin(_widget, _context):
        say("DRAG-BEGIN")

    def on_end(_widget, _context):
        say("DRAG-END ok")
        GLib.timeout_add(200, Gtk.main_quit)

    def on_failed(_widget, _context, result):
        say(f"DRAG-END failed {int(result)}")
        GLib.timeout_add(200, Gtk.main_quit)
        return False

    box.connect("drag-data-get", on_data_get)
    box.connect("drag-begin", on_begin)
    box.connect("drag-end", on_end)
    box.connect("drag-failed", on_failed)

    announced = []

    def announce():
        gdk_window = window.get_window()
        if gdk_window is None or not window.get_mapped():
            return True
        _, ox, oy = gdk_window.get_origin()
        w, h = window.get_size()
        if not announced:
            announced.append(True)
            say(f"READY {ox} {oy} {w} {h}")
        return False

    def on_map(*_args):
        # The origin is only final once the X server has mapped and placed the window.
        GLib.timeout_add(50, announce)

    window.connect("map-event", on_map)
    window.connect("destroy", Gtk.main_quit)

    def on_stdin(_source, _condition):
        data = os.read(0, 1024)
        if not data:
            Gtk.main_quit()
            return False
        return True

    GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, on_stdin)
    GLib.timeout_add_seconds(120, Gtk.main_quit)

    window.show_all()
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
