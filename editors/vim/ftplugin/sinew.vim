" Vim settings for sinew rule files: the layout `sinew fmt` writes
" (four-space indents) and `#` comments.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal expandtab shiftwidth=4 softtabstop=4 tabstop=8
setlocal comments=:# commentstring=#\ %s
setlocal formatoptions-=t formatoptions+=croql
setlocal textwidth=99

let b:undo_ftplugin = 'setlocal expandtab< shiftwidth< softtabstop< tabstop< comments<'
      \ . ' commentstring< formatoptions< textwidth<'
