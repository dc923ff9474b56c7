" Vim filetype detection for sinew rule files (*.sinew).
autocmd BufRead,BufNewFile *.sinew setfiletype sinew
