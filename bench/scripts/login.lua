-- wrk script: POST /api/v1/auth as the bootstrap admin (password from $LOGIN_PASSWORD).
wrk.method = "POST"
wrk.path = "/api/v1/auth"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"admin","password":"' .. os.getenv("LOGIN_PASSWORD") .. '"}'
