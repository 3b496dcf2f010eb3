-- The plugin's paths for Neovim 0.8-0.10 (vim.lsp.start) and 0.11+
-- (vim.lsp.config / vim.lsp.enable), checked on the Neovim at hand by
-- standing in for the APIs it may lack: what setup() hands them is
-- recorded, and the root_dir callbacks are run for real. (The 0.7 path is
-- run for real by e2e.lua and example.lua.)
--
-- usage: GW403_PLUGIN=editors/nvim nvim --headless -u NONE -i NONE -c 'luafile paths.lua' PROJECT
-- PROJECT holds template.yaml, requests/orders.http and docker-compose.yml.
local function out(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
end
local passed, failed = 0, 0
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    out('ok   ' .. name)
  else
    failed = failed + 1
    out('FAIL ' .. name .. ': ' .. tostring(err))
  end
end

local plugin = assert(os.getenv('GW403_PLUGIN'), 'set GW403_PLUGIN')
local project = vim.fn.fnamemodify(vim.fn.argv(0), ':p'):gsub('/$', '')
vim.opt.runtimepath:prepend(plugin)
vim.cmd('filetype on')

local real_has = vim.fn.has
local function fresh()
  package.loaded['gw403'] = nil
  return require('gw403')
end

check('0.8-0.10: setup() starts the client with vim.lsp.start, rooted at the project', function()
  local calls = {}
  vim.lsp.start = function(config, opts)
    table.insert(calls, { config = config, opts = opts })
    return 1
  end
  local gw403 = fresh()
  gw403.setup({ cmd = { 'gw403-lsp-test', 'serve' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/requests/orders.http'))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == 'http', 'filetype ' .. vim.bo[buf].filetype)
  assert(#calls >= 1, 'vim.lsp.start not called')
  local c = calls[#calls]
  assert(c.config.name == 'gw403', 'name ' .. tostring(c.config.name))
  assert(c.config.root_dir == project, ('root_dir %s, want %s'):format(c.config.root_dir, project))
  assert(c.config.cmd[1] == 'gw403-lsp-test', 'cmd ' .. vim.inspect(c.config.cmd))
  assert(c.opts.bufnr == buf, 'bufnr ' .. tostring(c.opts.bufnr))
  assert(c.config.init_options and c.config.settings.gw403, 'settings missing')
  -- A YAML file that is no template starts nothing.
  local n = #calls
  vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/docker-compose.yml'))
  vim.bo.filetype = 'yaml'
  assert(#calls == n, 'vim.lsp.start called for docker-compose.yml')
  vim.lsp.start = nil
  vim.cmd('silent %bwipeout!')
end)

check('0.11+: setup() registers the config with vim.lsp.config and enables it', function()
  local configs, enabled = {}, {}
  vim.fn.has = function(f)
    if f == 'nvim-0.11' then
      return 1
    end
    return real_has(f)
  end
  vim.lsp.config = function(name, cfg)
    configs[name] = cfg
  end
  vim.lsp.enable = function(name)
    table.insert(enabled, name)
  end
  vim.lsp.start = function()
    error('vim.lsp.start used on 0.11')
  end
  local gw403 = fresh()
  gw403.setup({ cmd = { 'gw403-lsp-test', 'serve' } })
  vim.fn.has = real_has
  assert(configs.gw403, 'vim.lsp.config not called for gw403')
  assert(vim.deep_equal(enabled, { 'gw403' }), 'enabled ' .. vim.inspect(enabled))
  local cfg = configs.gw403
  assert(cfg.cmd[1] == 'gw403-lsp-test', 'cmd ' .. vim.inspect(cfg.cmd))
  assert(vim.tbl_contains(cfg.filetypes, 'http') and vim.tbl_contains(cfg.filetypes, 'yaml'), 'filetypes')
  -- root_dir(bufnr, on_dir): the project for a request file, nothing for
  -- a YAML file that is no template.
  vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/requests/orders.http'))
  local root
  cfg.root_dir(vim.api.nvim_get_current_buf(), function(dir) root = dir end)
  assert(root == project, ('root_dir gave %s, want %s'):format(tostring(root), project))
  vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/docker-compose.yml'))
  vim.bo.filetype = 'yaml'
  root = nil
  cfg.root_dir(vim.api.nvim_get_current_buf(), function(dir) root = dir end)
  assert(root == nil, 'root_dir gave a root for docker-compose.yml')
  vim.lsp.config, vim.lsp.enable, vim.lsp.start = nil, nil, nil
  vim.cmd('silent %bwipeout!')
end)

check('lsp/gw403.lua (vim.lsp.enable without setup) is the same config', function()
  package.loaded['gw403'] = nil -- defaults, as without setup()
  local cfg = dofile(plugin .. '/lsp/gw403.lua')
  assert(cfg.cmd[1] == 'gw403-lsp' and cfg.cmd[2] == 'serve', 'cmd ' .. vim.inspect(cfg.cmd))
  assert(type(cfg.root_dir) == 'function', 'root_dir')
end)

out(('nvim: %d passed, %d failed'):format(passed, failed))
vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
