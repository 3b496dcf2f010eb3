-- gw403-lsp for Neovim >= 0.8: starts the language server for .http/.rest
-- buffers and for YAML/JSON buffers that are SAM / CloudFormation templates,
-- OpenAPI documents, http-client env files or .gw403.yaml.
--
--   require('gw403').setup({ environment = 'dev' })
--
-- M.config(bufnr) returns the client config (usable with vim.lsp.start,
-- nvim-lspconfig or vim.lsp.config), M.relevant(bufnr) the content check.
local M = {}

M.defaults = {
  cmd = { 'gw403-lsp', 'serve' },
  filetypes = { 'http', 'yaml', 'json', 'jsonc' },
  root_markers = { '.gw403.yaml', 'http-client.env.json', 'samconfig.toml', 'template.yaml', '.git' },
  -- Settings sent as initializationOptions and answered to workspace/configuration.
  environment = '',
  configPath = '',
  severity = {},
  trace = 'off',
}

local opts = vim.deepcopy(M.defaults)

-- How much of a YAML/JSON buffer the content check reads.
local SNIFF_LINES = 400

local markers = {
  '["\']?AWSTemplateFormatVersion["\']?%s*:',
  'AWS::Serverless%-2016%-10%-31',
  'AWS::Serverless::',
  'AWS::ApiGateway::',
  'AWS::ApiGatewayV2::',
  'x%-amazon%-apigateway%-',
  '^openapi%s*:',
  '^swagger%s*:',
  '"openapi"%s*:%s*"[23]',
  '"swagger"%s*:%s*"2',
}

local function basename(path)
  return path:match('[^/\\]+$') or path
end

--- looks_like_api_definition reports whether lines (a list of strings) start
--- like a SAM / CloudFormation template or an OpenAPI document.
function M.looks_like_api_definition(lines)
  for i = 1, math.min(#lines, SNIFF_LINES) do
    local l = lines[i]
    for _, pat in ipairs(markers) do
      if l:find(pat) then
        return true
      end
    end
  end
  return false
end

--- relevant reports whether buffer bufnr goes to gw403-lsp.
function M.relevant(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  local ft = vim.bo[bufnr].filetype
  local base = basename(name)
  if ft == 'http' or name:match('%.http$') or name:match('%.rest$') then
    return true
  end
  if base:match('^http%-client%.env%.json$') or base:match('^http%-client%.private%.env%.json$')
    or base:match('^%.gw403%.ya?ml$') then
    return true
  end
  if ft == 'yaml' or ft == 'json' or ft == 'jsonc' then
    return M.looks_like_api_definition(vim.api.nvim_buf_get_lines(bufnr, 0, SNIFF_LINES, false))
  end
  return false
end

--- root_dir returns the workspace root for a file path: the nearest directory
--- holding one of the root markers, else the file's directory.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local found = vim.fs and vim.fs.find and vim.fs.find(opts.root_markers, { upward = true, path = dir })[1]
  if found then
    return vim.fn.fnamemodify(found, ':h')
  end
  return dir
end

--- settings returns the gw403 settings table (initializationOptions and the
--- `gw403` section of workspace/configuration).
function M.settings()
  return {
    environment = opts.environment,
    configPath = opts.configPath,
    severity = next(opts.severity) and opts.severity or vim.empty_dict(),
    trace = opts.trace,
  }
end

--- config returns the client config for buffer bufnr.
function M.config(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return {
    name = 'gw403',
    cmd = opts.cmd,
    root_dir = M.root_dir(vim.api.nvim_buf_get_name(bufnr)),
    init_options = M.settings(),
    settings = { gw403 = M.settings() },
  }
end

--- start attaches gw403-lsp to bufnr when the buffer is relevant (Neovim >= 0.8).
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not M.relevant(bufnr) then
    return nil
  end
  if not vim.lsp.start then
    vim.notify_once('gw403: Neovim >= 0.8 needed (vim.lsp.start)', vim.log.levels.WARN)
    return nil
  end
  return vim.lsp.start(M.config(bufnr), { bufnr = bufnr })
end

local function client()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ name = 'gw403' })[1]
end

local function exec(command, arguments, on_result)
  local c = client()
  if not c then
    vim.notify('gw403: language server not running', vim.log.levels.WARN)
    return
  end
  local params = { command = command, arguments = arguments }
  local request = vim.fn.has('nvim-0.11') == 1 and function(...) return c:request(...) end or c.request
  request('workspace/executeCommand', params, function(err, result)
    if err then
      vim.notify('gw403: ' .. command .. ': ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif on_result then
      on_result(result)
    end
  end)
end

--- set_environment switches the environment ('' = every environment).
function M.set_environment(name)
  opts.environment = name
  local c = client()
  if c then
    c.config.settings = { gw403 = M.settings() }
  end
  exec('gw403.setEnvironment', { name }, function()
    vim.notify('gw403: environment ' .. (name == '' and '(all)' or name))
  end)
end

--- select_environment lets the user pick an environment for the current buffer.
function M.select_environment()
  exec('gw403.listEnvironments', { vim.uri_from_bufnr(0) }, function(result)
    -- {environments = {...}, current = '...'}
    local items = { '(every environment)' }
    vim.list_extend(items, (result and result.environments) or result or {})
    vim.ui.select(items, { prompt = 'gw403 environment' }, function(choice, idx)
      if choice then
        M.set_environment(idx == 1 and '' or choice)
      end
    end)
  end)
end

--- environment returns the active environment name ('' = every environment).
function M.environment()
  return opts.environment
end

--- setup merges user options and starts gw403-lsp for relevant buffers.
function M.setup(user)
  opts = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), user or {})
  vim.filetype.add({ extension = { http = 'http', rest = 'http' } })
  local group = vim.api.nvim_create_augroup('gw403', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  vim.api.nvim_create_user_command('Gw403Env', function(cmd)
    if cmd.args ~= '' then
      M.set_environment(cmd.args)
    else
      M.select_environment()
    end
  end, { nargs = '?', desc = 'gw403: switch the environment used for {{variables}}' })
end

--- lspconfig returns a default_config for nvim-lspconfig's configs table.
function M.lspconfig()
  return {
    default_config = {
      cmd = opts.cmd,
      filetypes = opts.filetypes,
      root_dir = function(fname)
        local bufnr = vim.fn.bufnr(fname)
        if bufnr ~= -1 and not M.relevant(bufnr) then
          return nil
        end
        return M.root_dir(fname)
      end,
      single_file_support = true,
      init_options = M.settings(),
      settings = { gw403 = M.settings() },
    },
    docs = { description = 'gw403-lsp: API Gateway 403 causes in .http files and SAM / CloudFormation / OpenAPI' },
  }
end

return M
