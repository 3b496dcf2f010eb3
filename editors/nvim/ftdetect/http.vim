" .http / .rest request files (REST Client, JetBrains HTTP Client, httpyac,
" kulala). Neovim 0.10+ detects .http itself; this adds .rest and older versions.
autocmd BufRead,BufNewFile *.http,*.rest setfiletype http
