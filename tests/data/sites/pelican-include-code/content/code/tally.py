def tally(jars):
    """How many jars of each jam."""
    counts = {}
    for jar in jars:
        counts[jar] = counts.get(jar, 0) + 1
    return counts
