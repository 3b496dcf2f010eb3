-- Neovim >= 0.11: put this directory on 'runtimepath' and call
-- vim.lsp.enable('gw403'). YAML/JSON buffers are attached only when they are
-- templates, OpenAPI documents or env files (root_dir skips the others).
local gw403 = require('gw403')
return {
  cmd = { 'gw403-lsp', 'serve' },
  filetypes = { 'http', 'yaml', 'json', 'jsonc' },
  root_dir = function(bufnr, on_dir)
    if gw403.relevant(bufnr) then
      on_dir(gw403.root_dir(vim.api.nvim_buf_get_name(bufnr)))
    end
  end,
  init_options = gw403.settings(),
  settings = { gw403 = gw403.settings() },
}
