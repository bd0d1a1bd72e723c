"""Django-free helpers: exact numbers, rounding, Chinese numerals."""
