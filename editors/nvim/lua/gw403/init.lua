-- gw403-lsp for Neovim 0.7+: starts the language server for .http/.rest
-- buffers and for YAML/JSON buffers that are SAM / CloudFormation templates,
-- OpenAPI documents, http-client env files or .gw403.yaml.
--
--   require('gw403').setup({ environment = 'dev' })
--
-- One plugin for every Neovim: 0.11+ registers the config with
-- vim.lsp.config and vim.lsp.enable; 0.8-0.10 start it with vim.lsp.start
-- from a FileType autocmd; 0.7 with vim.lsp.start_client +
-- vim.lsp.buf_attach_client, one client per root. :checkhealth gw403 says
-- what was found.
--
-- M.config(bufnr) returns the client config (usable with vim.lsp.start,
-- nvim-lspconfig or vim.lsp.config), M.relevant(bufnr) the content check.
local M = {}

M.defaults = {
  cmd = { 'gw403-lsp', 'serve' },
  filetypes = { 'http', 'yaml', 'json', 'jsonc' },
  -- The root: the nearest folder with one of root_markers[1], else of
  -- root_markers[2], …; for project_markers the top-most folder wins (a
  -- service's template above its requests/ folder, not a nested one).
  -- The server applies the same rule per file whatever root it is sent.
  root_markers = { { '.gw403.yaml', '.gw403.yml' }, { '.git' } },
  project_markers = { 'template.yaml', 'template.yml', 'serverless.yml', 'serverless.yaml', 'cdk.json', 'samconfig.toml', '*.tf' },
  -- Route code lenses ("3 requests") in templates; inlay hints at the end
  -- of request lines ("→ OrdersApi · prod · GET /orders/{id} · API key",
  -- Neovim 0.10+).
  codelens = true,
  inlay_hints = true,
  -- Passed to the client (vim.lsp.start / start_client): function(client, bufnr)
  -- and function(code, signal, client_id).
  on_attach = nil,
  on_exit = nil,
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

local uv = vim.loop or vim.uv

local function parent(dir)
  local p = vim.fn.fnamemodify(dir, ':h')
  if p == dir then
    return nil
  end
  return p
end

local function has_any(dir, names)
  for _, name in ipairs(names) do
    if name:find('[*?]') then
      if vim.fn.glob(dir .. '/' .. name, true, true)[1] then
        return true
      end
    elseif uv.fs_stat(dir .. '/' .. name) then
      return true
    end
  end
  return false
end

--- root_dir returns the workspace root for a file path: the nearest folder
--- holding a .gw403.yaml, else a .git; else the top-most folder holding a
--- project marker (template.yaml, serverless.yml, cdk.json, *.tf,
--- samconfig.toml); else the file's folder. An http-client.env.json beside
--- the request file is no root: its template is usually one folder up.
function M.root_dir(path)
  local start = vim.fn.fnamemodify(path, ':p')
  local st = uv.fs_stat(start)
  if not (st and st.type == 'directory') then
    start = vim.fn.fnamemodify(start, ':h')
  end
  start = start:gsub('(.)/$', '%1')
  for _, names in ipairs(opts.root_markers) do
    local dir = start
    while dir do
      if has_any(dir, type(names) == 'table' and names or { names }) then
        return dir
      end
      dir = parent(dir)
    end
  end
  local top
  local dir = start
  while dir do
    if has_any(dir, opts.project_markers) then
      top = dir
    end
    dir = parent(dir)
  end
  return top or start
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
    on_attach = M.on_attach,
    on_exit = opts.on_exit,
  }
end

--- on_attach shows the route code lenses ("3 requests") in templates and,
--- on Neovim 0.10+, the inlay hints of request lines, then calls the
--- user's on_attach.
function M.on_attach(client, bufnr)
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  if opts.codelens and vim.lsp.codelens and (caps.codeLensProvider or caps.code_lens) then
    local group = vim.api.nvim_create_augroup('gw403_codelens_' .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost', 'CursorHold' }, {
      group = group,
      buffer = bufnr,
      callback = function()
        pcall(vim.lsp.codelens.refresh)
      end,
    })
    pcall(vim.lsp.codelens.refresh)
  end
  if opts.inlay_hints and vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable and caps.inlayHintProvider then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if opts.on_attach then
    opts.on_attach(client, bufnr)
  end
end

-- The last buffer gw403 was started for, or entered (for :checkhealth).
local last_buf

--- last_buffer returns the most recent gw403 buffer still loaded, else the
--- current buffer.
function M.last_buffer()
  if last_buf and vim.api.nvim_buf_is_loaded(last_buf) then
    return last_buf
  end
  return vim.api.nvim_get_current_buf()
end

-- clients started with start_client on Neovim 0.7, by root.
local clients_by_root = {}

--- start attaches gw403-lsp to bufnr when the buffer is relevant, reusing
--- the client of the same root. It returns the client id.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not M.relevant(bufnr) then
    return nil
  end
  last_buf = bufnr
  local config = M.config(bufnr)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  -- Neovim 0.7: no vim.lsp.start. A client is known to get_client_by_id
  -- only once initialized, so the plugin keeps its own list, emptied on exit.
  local root = config.root_dir
  local id = clients_by_root[root]
  if not id then
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    local user_exit = config.on_exit
    config.on_exit = function(...)
      clients_by_root[root] = nil
      if user_exit then
        user_exit(...)
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- client returns the gw403 client attached to bufnr (any gw403 client
--- when bufnr is nil), or nil.
function M.client(bufnr)
  local list
  if bufnr then
    list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  else
    list = (vim.lsp.get_clients or vim.lsp.get_active_clients)()
  end
  for _, c in pairs(list) do
    if c.name == 'gw403' then
      return c
    end
  end
  return nil
end

--- command returns the command that starts the server.
function M.command()
  return opts.cmd
end

local function client()
  return M.client(vim.api.nvim_get_current_buf()) or M.client()
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
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { http = 'http', rest = 'http' } })
  end
  local group = vim.api.nvim_create_augroup('gw403', { clear = true })
  -- Older Neovim (and the Vim filetype scripts) know neither extension.
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = { '*.http', '*.rest' },
    command = 'setfiletype http',
  })
  vim.api.nvim_create_autocmd('BufEnter', {
    group = group,
    callback = function(args)
      if vim.api.nvim_buf_get_name(args.buf) ~= '' and M.relevant(args.buf) then
        last_buf = args.buf
      end
    end,
  })
  if vim.fn.has('nvim-0.11') == 1 and vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('gw403', M.lsp_config())
    vim.lsp.enable('gw403')
  else
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = opts.filetypes,
      callback = function(args)
        M.start(args.buf)
      end,
    })
    -- Buffers already open when setup runs.
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(opts.filetypes, vim.bo[b].filetype) then
        M.start(b)
      end
    end
  end
  vim.api.nvim_create_user_command('Gw403Env', function(cmd)
    if cmd.args ~= '' then
      M.set_environment(cmd.args)
    else
      M.select_environment()
    end
  end, { nargs = '?', desc = 'gw403: switch the environment used for {{variables}}' })
end

--- lsp_config returns the config for vim.lsp.config (Neovim 0.11+):
--- YAML/JSON buffers that are not API definitions get no root, so no client.
function M.lsp_config()
  return {
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    root_dir = function(bufnr, on_dir)
      if M.relevant(bufnr) then
        on_dir(M.root_dir(vim.api.nvim_buf_get_name(bufnr)))
      end
    end,
    init_options = M.settings(),
    settings = { gw403 = M.settings() },
    on_attach = M.on_attach,
  }
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
