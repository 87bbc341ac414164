// KeelLight: see DESIGN.md, "Layout".
