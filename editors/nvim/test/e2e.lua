-- Headless end-to-end test of gw403-lsp in Neovim, written for Debian's
-- Neovim 0.7.2 (the plugin starts the client with vim.lsp.start_client
-- there). It uses the plugin's own filetype detection, content check and
-- setup(), then checks the promises of RULES.md: GW101 on the URL, the
-- "Add x-api-key header" fix, GW141 after switching to the prod environment.
--
-- usage: GW403_BIN=/path/to/gw403-lsp GW403_PLUGIN=editors/nvim \
--        nvim --headless -u NONE -c 'luafile e2e.lua' WORKSPACE_DIR
-- Prints one line per check and "nvim: N passed, N failed"; exits 1 on a failure.
local function out(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
end

local passed, failed = 0, 0
local function finish()
  out(('nvim: %d passed, %d failed'):format(passed, failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

-- check runs fn; an error or a false result is a failure. A failed check
-- whose later checks depend on it stops the run (fatal).
local function check(name, fatal, fn)
  local ok, res = pcall(fn)
  if ok and res ~= false then
    passed = passed + 1
    out('ok   ' .. name)
    return true
  end
  failed = failed + 1
  out('FAIL ' .. name .. ': ' .. tostring(res))
  if fatal then
    finish()
    error('stop', 0)
  end
  return false
end

local bin = assert(os.getenv('GW403_BIN'), 'set GW403_BIN')
local plugin = assert(os.getenv('GW403_PLUGIN'), 'set GW403_PLUGIN')
local ws = vim.fn.fnamemodify(vim.fn.argv(0), ':p'):gsub('/$', '')
local timeout = tonumber(os.getenv('GW403_TIMEOUT_MS') or '20000')
vim.lsp.set_log_level(os.getenv('GW403_NVIM_LOG') or 'warn')

vim.opt.runtimepath:prepend(plugin)
package.path = plugin .. '/lua/?.lua;' .. plugin .. '/lua/?/init.lua;' .. package.path
vim.cmd('filetype on')
vim.cmd('source ' .. plugin .. '/ftdetect/http.vim')
local gw403 = require('gw403')

local function gw_diags(bufnr)
  local res = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'gw403' then
      table.insert(res, d)
    end
  end
  return res
end

local function code_of(d)
  local lsp = d.user_data and d.user_data.lsp
  return tostring((lsp and lsp.code) or d.code or '')
end

local function describe(bufnr)
  local s = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(s, ('%s %d:%d-%d:%d ns%d %q'):format(code_of(d), d.lnum + 1, d.col, d.end_lnum + 1, d.end_col, d.namespace, d.message))
  end
  for id, c in pairs(vim.lsp.get_active_clients()) do
    table.insert(s, ('client %d %s %s'):format(c.id, c.name, tostring(c.config.root_dir)))
  end
  return '[' .. table.concat(s, '; ') .. ']'
end

local function find_diag(bufnr, code, lnum)
  for _, d in ipairs(gw_diags(bufnr)) do
    if code_of(d) == code and (lnum == nil or d.lnum == lnum) then
      return d
    end
  end
end

local function wait_diag(bufnr, code, lnum, ms)
  local d
  vim.wait(ms or timeout, function()
    d = find_diag(bufnr, code, lnum)
    return d ~= nil
  end, 20)
  if not d then
    error(('no %s on line %s within %d ms; saw %s'):format(code, lnum and lnum + 1 or '*', ms or timeout, describe(bufnr)))
  end
  return d
end

local function wait_gone(bufnr, code, lnum)
  local ok = vim.wait(timeout, function()
    return find_diag(bufnr, code, lnum) == nil
  end, 20)
  if not ok then
    error(('%s still on line %s; saw %s'):format(code, lnum and lnum + 1 or '*', describe(bufnr)))
  end
  return true
end

local function line_of(bufnr, text)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l == text then
      return i - 1
    end
  end
  error('line not found: ' .. text)
end

local LIST_ORDERS = 'GET {{baseUrl}}/orders?status=未発送'
local bufnr, client_id, client
local exit_code

check('ftdetect: requests.http has filetype http', true, function()
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/requests.http'))
  bufnr = vim.api.nvim_get_current_buf()
  assert(vim.bo[bufnr].filetype == 'http', 'filetype = ' .. vim.bo[bufnr].filetype)
end)

check('content check: template.yaml is relevant, docker-compose.yml is not', false, function()
  assert(gw403.relevant(bufnr), 'requests.http not relevant')
  vim.cmd('badd ' .. vim.fn.fnameescape(ws .. '/template.yaml'))
  vim.cmd('badd ' .. vim.fn.fnameescape(ws .. '/docker-compose.yml'))
  local tpl, compose = vim.fn.bufnr(ws .. '/template.yaml'), vim.fn.bufnr(ws .. '/docker-compose.yml')
  vim.fn.bufload(tpl)
  vim.fn.bufload(compose)
  vim.bo[tpl].filetype = 'yaml'
  vim.bo[compose].filetype = 'yaml'
  assert(gw403.relevant(tpl), 'template.yaml not relevant')
  assert(not gw403.relevant(compose), 'docker-compose.yml relevant')
end)

check('setup() starts gw403-lsp for the open request file (environment dev)', true, function()
  require('gw403').setup({
    cmd = { bin, 'serve' },
    environment = 'dev',
    on_exit = function(code)
      exit_code = code
    end,
  })
  local ok = vim.wait(timeout, function()
    client = gw403.client(bufnr)
    return exit_code ~= nil or (client ~= nil and (client.initialized == true
      or (client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil)))
  end, 20)
  assert(ok and exit_code == nil, 'server did not initialize' .. (exit_code and (' (exited with code ' .. exit_code .. ')') or ''))
  client_id = client.id
  local n = 0
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'gw403' then
      n = n + 1
    end
  end
  assert(n == 1, n .. ' gw403 clients attached, want 1')
end)

check('GW101 on the URL of the request without x-api-key', false, function()
  local lnum = line_of(bufnr, LIST_ORDERS)
  local d = wait_diag(bufnr, 'GW101', lnum)
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]
  -- Neovim columns are bytes: the URL starts after "GET " and ends at the
  -- line's end (the query holds 3-byte characters, so a UTF-16 or rune
  -- mix-up shows here).
  assert(d.col == 4 and d.end_lnum == lnum and d.end_col == #line,
    ('range %d:%d-%d:%d, want %d:4-%d:%d'):format(d.lnum, d.col, d.end_lnum, d.end_col, lnum, lnum, #line))
  assert(d.severity == vim.diagnostic.severity.ERROR, 'severity ' .. tostring(d.severity))
end)

check('no diagnostics on the requests that are fine', false, function()
  -- Absences count only once the file has been checked at all.
  if not vim.wait(timeout, function() return #gw_diags(bufnr) > 0 end, 20) then
    error('no gw403 diagnostics at all, so nothing to compare')
  end
  for _, text in ipairs({ 'POST {{baseUrl}}/orders', 'GET {{baseUrl}}/health' }) do
    local lnum = line_of(bufnr, text)
    for _, d in ipairs(gw_diags(bufnr)) do
      assert(d.lnum ~= lnum, ('%s on clean line %d: %s'):format(code_of(d), lnum + 1, d.message))
    end
  end
end)

-- code_action asks for the code actions on line lnum and returns the first
-- whose title matches (a string: equal; a function: predicate).
-- A file re-checked meanwhile (the template's buffer opening, an edit)
-- makes the diagnostics in hand stale, and the server then offers no fix
-- for them: the light bulb asks again, and so does this helper, with the
-- diagnostics of the latest publish.
local function code_action(lnum, want)
  local match = type(want) == 'function' and want or function(t) return t == want end
  local titles = {}
  for attempt = 1, 5 do
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = { start = { line = lnum, character = 0 }, ['end'] = { line = lnum, character = 0 } },
      context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, lnum) },
    }
    local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
    local r = res and res[client_id]
    assert(r and not r.err and r.result, 'codeAction failed: ' .. vim.inspect(res))
    for _, a in ipairs(r.result) do
      if match(a.title) then
        return a
      end
    end
    titles = vim.tbl_map(function(a) return a.title end, r.result)
    vim.wait(200 * attempt)
  end
  error(('no code action %s among %s after 5 attempts'):format(type(want) == 'string' and ('"' .. want .. '"') or 'matching',
    vim.inspect(titles)))
end

local function apply(action)
  if not action.edit and not action.command then
    -- Resolve lazily computed edits.
    local rr = vim.lsp.buf_request_sync(bufnr, 'codeAction/resolve', action, timeout)
    action = (rr and rr[client_id] and rr[client_id].result) or action
  end
  assert(action.edit or action.command, 'action has neither edit nor command')
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  end
  if action.command then
    local cmd = type(action.command) == 'table' and action.command or action
    vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments }, timeout)
  end
end

check('GW141 quick fix deletes the repeated stage from the custom-domain URL', false, function()
  local lnum = line_of(bufnr, 'GET https://api.example.com/prod/health')
  wait_diag(bufnr, 'GW141', lnum)
  apply(code_action(lnum, function(t) return t:lower():match('^delete .*stage') or t:lower():match('^remove .*stage') end))
  local got = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]
  assert(got == 'GET https://api.example.com/health', 'line after fix: ' .. got)
  return wait_gone(bufnr, 'GW141', lnum)
end)

check('quick fix "Add x-api-key header" inserts the header and clears GW101', false, function()
  local lnum = line_of(bufnr, LIST_ORDERS)
  apply(code_action(lnum, 'Add x-api-key header'))
  local got = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 4, false)
  local want = { LIST_ORDERS, 'Accept: application/json', 'x-api-key: {{apiKey}}', '' }
  assert(vim.deep_equal(got, want), 'buffer after fix: ' .. vim.inspect(got) .. ', want ' .. vim.inspect(want))
  return wait_gone(bufnr, 'GW101', nil)
end)

check('gw403.listEnvironments returns dev and prod', false, function()
  local res = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand',
    { command = 'gw403.listEnvironments', arguments = { vim.uri_from_bufnr(bufnr) } }, timeout)
  local r = res and res[client_id]
  assert(r and not r.err, 'listEnvironments failed: ' .. vim.inspect(res))
  -- {environments = {...}, current = '...'}
  local names = (r.result and r.result.environments) or r.result or {}
  table.sort(names)
  assert(vim.deep_equal(names, { 'dev', 'prod' }), 'environments ' .. vim.inspect(names))
end)

check('gw403.setEnvironment prod: GW141 on the {{baseUrl}} requests; dev clears it', false, function()
  local lines = { line_of(bufnr, LIST_ORDERS), line_of(bufnr, 'POST {{baseUrl}}/orders') }
  local function set(name)
    local res = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand',
      { command = 'gw403.setEnvironment', arguments = { name } }, timeout)
    local r = res and res[client_id]
    assert(r and not r.err, 'setEnvironment failed: ' .. vim.inspect(res))
  end
  set('prod')
  for _, lnum in ipairs(lines) do
    wait_diag(bufnr, 'GW141', lnum)
  end
  set('dev')
  for _, lnum in ipairs(lines) do
    wait_gone(bufnr, 'GW141', lnum)
  end
end)

check('server exits with code 0 after shutdown', false, function()
  vim.lsp.stop_client(client_id)
  local ok = vim.wait(timeout, function()
    return exit_code ~= nil
  end, 20)
  assert(ok, 'server did not exit')
  assert(exit_code == 0, 'exit code ' .. tostring(exit_code))
end)

finish()
