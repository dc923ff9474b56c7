" check.vim — the Vim files of editors/vim on tests/editors/sample.sinew:
" filetype, syntax, settings and the syntax group of one word of each kind,
" written to the file named by g:out (tests/editors.sh compares it with
" tests/editors/vim.out).
edit tests/editors/sample.sinew
let s:lines = ['filetype=' . &filetype, 'syntax=' . get(b:, 'current_syntax', ''),
      \ 'shiftwidth=' . &shiftwidth . ' expandtab=' . &expandtab . ' commentstring=' . &commentstring]
" line, word: the syntax group at the word's first character
for [s:l, s:w] in [[1, '#'], [2, 'template'], [2, 'pain'], [2, 'site'], [2, 'symbol'],
      \ [2, '0'], [3, '"Where'], [3, '\"'], [3, 'multiple'], [3, '#'], [3, 'W007'], [5, '004'],
      \ [7, 'rule'], [7, 'strain'], [9, 'cites'], [10, 'salience'], [11, 'when'], [12, '?p'],
      \ [12, '<-'], [12, '?s'], [12, '&'], [12, '>='], [13, 'not'], [13, 'exists'], [13, 'or'],
      \ [13, '?)'], [14, 'test'], [14, '3.5e1'], [16, 'conclude'], [16, 'cf'], [16, '0.25'],
      \ [17, 'modify'], [18, 'recommend'], [19, 'end'], [22, 'groin']]
  let s:c = stridx(getline(s:l), s:w) + 1
  call add(s:lines, s:l . ' ' . s:w . ' ' . synIDattr(synID(s:l, s:c, 1), 'name'))
endfor
call add(s:lines, 'errmsg=' . v:errmsg)
call writefile(s:lines, g:out)
qa!
