"""Reading a PDF: pages, words, rules, rotation, who the paper is, and the page drawing."""
