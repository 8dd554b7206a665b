"""OAuth clients: grant types, scopes, role grants, state and token lifetime."""
