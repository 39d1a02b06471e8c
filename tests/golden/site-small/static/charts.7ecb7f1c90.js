a fingerprinted copy of a file in templates/static/
