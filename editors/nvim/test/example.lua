-- The README's Neovim setup, as a new user runs it: editors/nvim on the
-- runtimepath, require('gw403').setup(), and the request file of
-- examples/orders-service opened from its requests/ folder (where
-- http-client.env.json sits and the template does not). Works on every
-- Neovim the plugin supports (Debian's 0.7.2 included).
--
-- usage: GW403_BIN=… GW403_PLUGIN=editors/nvim GW403_EXAMPLE=/copy/of/orders-service \
--        nvim --headless -u NONE -i NONE -c 'luafile example.lua'   (run from requests/)
local function out(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
end
local passed, failed = 0, 0
local function finish()
  out(('nvim: %d passed, %d failed'):format(passed, failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end
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
local example = assert(os.getenv('GW403_EXAMPLE'), 'set GW403_EXAMPLE')
local timeout = tonumber(os.getenv('GW403_TIMEOUT_MS') or '20000')

-- The README: editors/nvim on the runtimepath, then setup (cmd points at
-- the binary under test instead of gw403-lsp on PATH).
vim.opt.runtimepath:prepend(plugin)
vim.cmd('filetype on')
local gw403 = require('gw403')
gw403.setup({ cmd = { bin, 'serve' } })

local bufnr
local function codes()
  local s = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp
    table.insert(s, tostring((lsp and lsp.code) or d.code))
  end
  table.sort(s)
  return table.concat(s, ',')
end

check('orders.http opened from requests/ has filetype http', true, function()
  vim.cmd('edit orders.http')
  bufnr = vim.api.nvim_get_current_buf()
  assert(vim.bo[bufnr].filetype == 'http', 'filetype = ' .. vim.bo[bufnr].filetype)
end)

check('the client root is the project, not requests/', false, function()
  local root = gw403.root_dir(vim.api.nvim_buf_get_name(bufnr))
  assert(root == example, ('root %s, want %s'):format(root, example))
end)

check('the 4 findings of the README appear (GW101, GW111, GW132, GW141)', true, function()
  local want = 'GW101,GW111,GW132,GW141'
  local ok = vim.wait(timeout, function() return codes() == want end, 20)
  assert(ok, ('diagnostics %s, want %s'):format(codes(), want))
end)

check(':checkhealth gw403 names the binary, version, root and environments', false, function()
  vim.cmd('checkhealth gw403')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('bwipeout!')
  for _, want in ipairs({ 'found ' .. bin, 'version: gw403-lsp', 'root chosen: ' .. example,
    'server workspace: ' .. example, 'environments: dev, staging' }) do
    assert(text:find(want, 1, true), ('%q not in:\n%s'):format(want, text))
  end
end)

if os.getenv('GW403_DEFINITION') then
  check('go to definition on a request URL lands on the route in template.yaml', false, function()
    vim.api.nvim_set_current_buf(bufnr)
    local lnum
    for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
      if l == 'GET {{baseUrl}}/orders/ord-1001' then
        lnum = i - 1
        break
      end
    end
    assert(lnum, 'no GET {{baseUrl}}/orders/ord-1001 line')
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = lnum, character = 20 } }
    local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', params, timeout)
    local loc
    for _, r in pairs(res or {}) do
      local result = r.result
      if result then
        loc = result[1] or result
      end
    end
    assert(loc and (loc.uri or loc.targetUri), 'no location: ' .. vim.inspect(res))
    local uri = loc.uri or loc.targetUri
    assert(uri == vim.uri_from_fname(example .. '/template.yaml'), 'definition in ' .. uri)
  end)
end

check('code lenses above the routes of template.yaml count the requests', false, function()
  vim.cmd('edit ' .. vim.fn.fnameescape(example .. '/template.yaml'))
  local tpl = vim.api.nvim_get_current_buf()
  local titles
  local ok = vim.wait(timeout, function()
    pcall(vim.lsp.codelens.refresh)
    titles = {}
    for _, l in ipairs(vim.lsp.codelens.get(tpl) or {}) do
      table.insert(titles, l.command and l.command.title or '?')
    end
    return #titles > 0 and vim.tbl_contains(titles, '1 request')
  end, 200)
  assert(ok, 'code lenses: ' .. vim.inspect(titles))
end)

finish()
