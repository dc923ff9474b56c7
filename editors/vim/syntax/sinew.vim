" Vim syntax file for the sinew rule language (docs/language.md).
if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match
syntax iskeyword @,48-57,_

" Comments, and the `# allow W004` that silences a warning on its line.
syntax match sinewAllowCode /\<[EW]\d\d\d\>/ contained
syntax match sinewAllow /#\s*allow\>.*$/ contains=sinewAllowCode
syntax match sinewComment /#\(\s*allow\>\)\@!.*$/ contains=sinewTodo,@Spell
syntax keyword sinewTodo TODO FIXME XXX contained

" Strings, with the escapes the language knows; any other is an error.
syntax match sinewEscape /\\[nt\\"]/ contained
syntax match sinewBadEscape /\\[^nt\\"]/ contained
syntax region sinewString start=/"/ skip=/\\\\\|\\"/ end=/"/ contains=sinewEscape,sinewBadEscape,@Spell

" Declarations, and the name each one declares.
syntax keyword sinewDeclaration template facts ask rule case source module nextgroup=sinewDeclName skipwhite
syntax match sinewDeclName /\<\h\w*\>/ contained
syntax keyword sinewSection when then given expect end
syntax keyword sinewMeta cites salience multiple
syntax keyword sinewCondition not exists forall or test
syntax keyword sinewAction assert conclude retract modify bind print recommend halt focus
syntax keyword sinewCf cf
syntax keyword sinewType symbol string int float

" Variables: ?name, the anonymous ?, and the fact binding ?f <-
syntax match sinewVariable /?\h\w*/
syntax match sinewVariable /?\(\h\)\@!/
syntax match sinewOperator /<-\|==\|!=\|<=\|>=\|&&\|||\|[<>=&|!+\-*\/%]/

" Numbers: 3, 0.5, 1e-3 (and source ids such as 004).
syntax match sinewNumber /\<\d\+\(\.\d\+\)\=\([eE][+-]\=\d\+\)\=\>/

" A slot name before its colon: site: posterior_thigh
syntax match sinewSlot /\<\h\w*\ze\s*:/

highlight default link sinewComment Comment
highlight default link sinewTodo Todo
highlight default link sinewAllow PreProc
highlight default link sinewAllowCode Special
highlight default link sinewString String
highlight default link sinewEscape SpecialChar
highlight default link sinewBadEscape Error
highlight default link sinewDeclaration Keyword
highlight default link sinewDeclName Function
highlight default link sinewSection Keyword
highlight default link sinewMeta StorageClass
highlight default link sinewCondition Conditional
highlight default link sinewAction Statement
highlight default link sinewCf StorageClass
highlight default link sinewType Type
highlight default link sinewVariable Identifier
highlight default link sinewOperator Operator
highlight default link sinewNumber Number
highlight default link sinewSlot Label

let b:current_syntax = 'sinew'

let &cpo = s:cpo_save
unlet s:cpo_save
