"""Body text: lines in reading order, paragraphs, sections and the bibliography."""
