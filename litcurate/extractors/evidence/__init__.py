"""Table grids -> evidence records: column roles, printed values, study labels, validation."""
