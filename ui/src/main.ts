import { mount } from "svelte";
import App from "./App.svelte";
// After the components: on equal specificity the theme's element rules win, as they always have.
import "./theme.css";
import "./dialogs.css";

const target = document.getElementById("app");
if (!target) throw new Error("missing #app element");

export default mount(App, { target });
