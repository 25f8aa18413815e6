"""The nouns and rules of crowd counting; standard library only, imports nothing else of freiweg."""
