package corpus

// extractTargets returns the targets promised in d's tables and prose.
//
// PLACEHOLDER: the targets step (issue step 3) replaces this file.
func extractTargets(d *Document) []*Target { return nil }
