"""What gcaudit knows about Genesys Cloud itself: permissions and their matching, OAuth grant
types and client states, allowedDomains matching, regions."""
