// The node shell (issue 4): genesis files now; networking, storage and the API later.
