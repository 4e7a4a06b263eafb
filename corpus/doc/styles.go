package doc

// parseStyles returns the sti (built-in style id) of each style of the
// style sheet, indexed by istd; nil when the style sheet is unreadable.
func parseStyles(f *fib, tbl []byte) []uint16 {
	return nil
}

// headingLevel returns the heading level (1–9) a paragraph's style or
// outline level gives it, 0 for body text.
func (b *builder) headingLevel(p paraProps) int {
	return 0
}
