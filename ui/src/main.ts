import { mount } from "svelte";
import App from "./App.svelte";
import { install as guardWebview } from "./lib/webviewGuard";
// After the components: on equal specificity the theme's element rules win, as they always have.
import "./theme.css";
import "./dialogs.css";
import "./panels.css";

// A built app never shows the web view's menu, reloads or navigates; the dev server keeps them
// (Reload and Inspect Element are a developer's tools).
if (!import.meta.env.DEV) guardWebview(window);

const target = document.getElementById("app");
if (!target) throw new Error("missing #app element");

// The static shell index.html painted while the script loaded gives way to the app.
target.replaceChildren();
export default mount(App, { target });
