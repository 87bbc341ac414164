// The deterministic in-process network simulator (issue 3). See DESIGN.md.
