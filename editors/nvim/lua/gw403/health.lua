-- :checkhealth gw403 — is the binary there, which version, which root the
-- current buffer gets, which environments its env files define.
local M = {}

-- The health API moved: require('health').report_* (0.7),
-- vim.health.report_* (0.8, 0.9), vim.health.* (0.10+).
local function api()
  local h = vim.health or require('health')
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    info = h.info or h.report_info,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
  }
end

function M.check()
  local h = api()
  local gw403 = require('gw403')
  local cmd = gw403.command()

  h.start('gw403: server binary')
  local exe = cmd[1]
  if vim.fn.executable(exe) ~= 1 then
    h.error(('%s not found on PATH'):format(exe), {
      'go install github.com/gw403/gw403-lsp/cmd/gw403-lsp@latest',
      "or require('gw403').setup({ cmd = { '/path/to/gw403-lsp', 'serve' } })",
    })
  else
    h.ok(('found %s'):format(vim.fn.exepath(exe)))
    local version = vim.fn.system({ exe, '--version' })
    if vim.v.shell_error == 0 then
      h.ok('version: ' .. vim.trim(version))
    else
      h.warn(('%s --version failed: %s'):format(exe, vim.trim(version)))
    end
  end

  h.start('gw403: Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    h.ok('Neovim 0.11+: vim.lsp.config / vim.lsp.enable')
  elseif vim.lsp.start then
    h.ok('Neovim 0.8-0.10: vim.lsp.start')
  else
    h.ok('Neovim 0.7: vim.lsp.start_client')
  end

  h.start('gw403: current buffer')
  -- :checkhealth runs in a buffer of its own: look at the one before it.
  local bufnr = gw403.last_buffer()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    h.info('no file in the current buffer')
    return
  end
  if not gw403.relevant(bufnr) then
    h.info(('%s is not a request file, template, OpenAPI document or env file'):format(name))
    return
  end
  h.ok('root chosen: ' .. gw403.root_dir(name))
  local c = gw403.client(bufnr)
  if not c then
    h.warn('gw403-lsp is not attached to this buffer', { "call require('gw403').setup() in your init.lua" })
    return
  end
  local res = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand',
    { command = 'gw403.listEnvironments', arguments = { vim.uri_from_bufnr(bufnr) } }, 5000)
  local r = res and res[c.id]
  if not r or r.err then
    h.warn('gw403.listEnvironments failed: ' .. vim.inspect(r and r.err or res))
    return
  end
  local result = r.result or {}
  if result.root and result.root ~= '' then
    h.ok('server workspace: ' .. result.root)
  end
  local envs = result.environments or {}
  if #envs == 0 then
    h.info('environments: none (no http-client.env.json / .env files for this file)')
  else
    local current = (result.current and result.current ~= '') and result.current or 'every environment'
    h.ok(('environments: %s (in use: %s)'):format(table.concat(envs, ', '), current))
  end
end

return M
