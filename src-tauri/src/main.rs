// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK composites through OpenGL; where that is software (VMs, remote desktops, no GPU,
    // which is where administrators often run this) it costs the web view ~140 MB and gains a
    // mostly still map nothing visible. Plain rendering is the default here; an explicit
    // WEBKIT_DISABLE_COMPOSITING_MODE=0 lets WebKit composite. First, before any thread exists.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    fabric_atlas_lib::run();
}
