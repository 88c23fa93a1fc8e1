-- wrk script: each request carries the next token of $TOKENS_FILE (one a line), so the node
-- sees distinct tokens (cache misses) until the list wraps. Use with one wrk thread (-t1).
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i + 1
  if i > #tokens then i = 1 end
  return wrk.format("GET", "/api/v1/userinfo", { ["Authorization"] = "Bearer " .. tokens[i] })
end
