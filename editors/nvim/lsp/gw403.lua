-- Neovim >= 0.11: put editors/nvim on 'runtimepath' and call
-- vim.lsp.enable('gw403') (or call require('gw403').setup(), which does
-- both). YAML/JSON buffers are attached only when they are templates,
-- OpenAPI documents or env files (root_dir skips the others).
return require('gw403').lsp_config()
