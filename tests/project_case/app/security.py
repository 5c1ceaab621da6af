def require_auth():
    return "user"
