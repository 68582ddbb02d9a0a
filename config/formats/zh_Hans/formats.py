# Django's zh_Hans formats leave THOUSAND_SEPARATOR empty; amounts in yuan read
# better grouped (30,000,000), as Chinese financial statements print them.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DECIMAL_SEPARATOR = "."
